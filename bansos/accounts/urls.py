from django.contrib.auth import views as auth_views
from django.urls import path

from bansos.accounts import views, views_tokens, views_twofactor

app_name = "accounts"

urlpatterns = [
    # The password step; an account with an authenticator app goes on to the code step.
    path("masuk/", views_twofactor.LoginView.as_view(), name="login"),
    path("masuk/kode/", views_twofactor.verify, name="twofactor_verify"),
    path("dua-langkah/", views_twofactor.setup, name="twofactor_setup"),
    path("pengguna/<int:pk>/dua-langkah/atur-ulang/", views_twofactor.reset, name="twofactor_reset"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/", views.password_change, name="password_change"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_edit, name="user_edit"),
    path("pengguna/<int:pk>/nonaktifkan/", views.user_deactivate, name="user_deactivate"),
    path("lembaga/", views.agency_list, name="agency_list"),
    path("lembaga/baru/", views.agency_create, name="agency_create"),
    path("lembaga/<int:pk>/", views.agency_edit, name="agency_edit"),
    path("token/", views_tokens.token_list, name="token_list"),
    path("token/baru/", views_tokens.token_create, name="token_create"),
    path("token/<int:pk>/cabut/", views_tokens.token_revoke, name="token_revoke"),
]
