"""URLs of the selfreliance app (prefix ``kemandirian/``)."""

from django.urls import path

from bansos.selfreliance import views

app_name = "selfreliance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("hitung/", views.compute, name="compute"),
    path("model/", views.model_list, name="model_list"),
    path("model/baru/", views.model_create, name="model_create"),
    path("model/<int:pk>/ubah/", views.model_edit, name="model_edit"),
    path("model/<int:pk>/berlakukan/", views.model_publish, name="model_publish"),
    path("kelulusan/", views.graduation_list, name="graduation_list"),
    path("kelulusan/<int:pk>/konfirmasi/", views.graduation_confirm, name="graduation_confirm"),
    path("kelulusan/<int:pk>/tolak/", views.graduation_decline, name="graduation_decline"),
    path("kelulusan/pemantauan/", views.followup, name="followup"),
    path("dampak/", views.impact_list, name="impact_list"),
    path("dampak/<int:pk>/", views.impact_program, name="impact_program"),
]
