from django.urls import path

from bansos.welfare import views

app_name = "welfare"

urlpatterns = [
    path("", views.model_overview, name="overview"),
    path("versi/", views.version_list, name="version_list"),
    path("versi/baru/", views.version_create, name="version_create"),
    path("versi/<int:pk>/", views.version_detail, name="version_detail"),
    path("versi/<int:pk>/ubah/", views.version_edit, name="version_edit"),
    path("versi/<int:pk>/berlakukan/", views.version_publish, name="version_publish"),
    path("hitung-ulang/", views.rescore, name="rescore"),
    path("hitung-ulang/<int:pk>/", views.run_progress, name="run_progress"),
]
