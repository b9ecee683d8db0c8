"""URLs of the education app (schools, students, attendance, out-of-school children)."""

from django.urls import path

from bansos.education import views

app_name = "education"

urlpatterns = [
    path("", views.index, name="index"),
    path("sekolah/baru/", views.school_form, name="school_create"),
    path("sekolah/<int:pk>/", views.school_detail, name="school_detail"),
    path("sekolah/<int:pk>/ubah/", views.school_form, name="school_edit"),
    path("sekolah/<int:pk>/kehadiran/", views.attendance_sheet, name="attendance_sheet"),
    path("siswa/<int:pk>/", views.student_detail, name="student_detail"),
    path("kehadiran/impor/", views.attendance_import, name="attendance_import"),
    path("tidak-sekolah/", views.out_of_school, name="out_of_school"),
    path("tidak-sekolah/<int:resident_pk>/daftar/", views.apply, name="apply"),
    path("program/<int:pk>/syarat/", views.program_terms, name="program_terms"),
]
