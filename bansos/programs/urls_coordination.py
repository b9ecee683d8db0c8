"""URLs: coordination pages (see views_coordination)."""

from django.urls import path

from bansos.programs import views_coordination as views

urlpatterns = [
    path("", views.coordination, name="coordination"),
    path("tanpa-program/", views.excluded_households, name="coordination_excluded"),
    path("banyak-program/", views.many_program_households, name="coordination_many"),
]
