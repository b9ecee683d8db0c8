from django.contrib.auth import views as auth_views
from django.urls import path

from bansos.accounts import views, views_tokens
from bansos.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm,
                                     redirect_authenticated_user=True),
        name="login",
    ),
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
