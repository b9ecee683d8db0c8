"""URLs: enrollment pages (see views_enrollment)."""

from django.urls import path

from bansos.programs import views_enrollment as views

urlpatterns = [
    path("<int:program_id>/peserta/", views.enrollment_list, name="enrollment_list"),
    path("<int:program_id>/daftar/", views.enrollment_apply, name="enrollment_apply"),
    path("<int:program_id>/massal/", views.enrollment_bulk, name="enrollment_bulk"),
    path("<int:program_id>/massal/pekerjaan/", views.enrollment_bulk_jobs, name="enrollment_bulk_jobs"),
    path("peserta/<int:pk>/", views.enrollment_detail, name="enrollment_detail"),
    path("peserta/<int:pk>/status/", views.enrollment_transition, name="enrollment_transition"),
    path("usul/<int:household_id>/", views.enrollment_nominate, name="enrollment_nominate"),
]
