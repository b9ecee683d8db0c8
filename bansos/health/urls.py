"""URLs of the health app (posyandu sessions, child visits, growth charts, alerts)."""

from django.urls import path

from bansos.health import views

app_name = "health"

urlpatterns = [
    path("", views.index, name="index"),
    path("posyandu/<int:pk>/", views.posyandu_detail, name="posyandu_detail"),
    path("posyandu/<int:pk>/buka-sesi/", views.session_open, name="session_open"),
    path("sesi/<int:pk>/", views.session_detail, name="session_detail"),
    path("sesi/<int:pk>/unduh.csv", views.session_export, name="session_export"),
    path("sesi/<int:pk>/anak/<int:child_pk>/", views.visit_form, name="visit_form"),
    path("kunjungan/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("anak/<int:pk>/", views.child_detail, name="child_detail"),
    path("peringatan/<int:pk>/tindak-lanjut/", views.alert_resolve, name="alert_resolve"),
]
