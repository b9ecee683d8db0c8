from django.urls import path

from bansos.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("baru/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/ubah/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/status/", views.meeting_status, name="meeting_status"),
    path("<int:pk>/peserta-lain/", views.meeting_others, name="meeting_others"),
    path("<int:pk>/cari-warga/", views.attendee_search, name="attendee_search"),
    path("<int:pk>/hadir/", views.attendance_add, name="attendance_add"),
    path("<int:pk>/hadir/<int:resident_id>/hapus/", views.attendance_remove, name="attendance_remove"),
    path("<int:pk>/kebutuhan/baru/", views.need_create, name="need_create"),
    path("kebutuhan/<int:pk>/", views.need_edit, name="need_edit"),
    path("kebutuhan/<int:pk>/status/", views.need_status, name="need_status"),
    path("kebutuhan/<int:pk>/suara/", views.need_vote, name="need_vote"),
    path("kebutuhan-warga/", views.needs_overview, name="needs_overview"),
    path("kebutuhan-warga/rw/<int:number>/", views.needs_rw, name="needs_rw"),
]
