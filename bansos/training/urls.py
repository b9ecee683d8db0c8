"""URLs of the training app (prefix ``pelatihan/``)."""

from django.urls import path

from bansos.training import views_courses as courses
from bansos.training import views_people as people
from bansos.training import views_public as public

app_name = "training"

urlpatterns = [
    path("", courses.course_list, name="course_list"),
    path("baru/", courses.course_create, name="course_create"),
    path("pelatih/", people.trainers, name="trainers"),
    path("<int:pk>/", courses.course_detail, name="course_detail"),
    path("<int:pk>/ubah/", courses.course_edit, name="course_edit"),
    path("<int:pk>/pertemuan/", courses.sessions, name="sessions"),
    path("<int:pk>/mulai/", courses.course_start, name="course_start"),
    path("<int:pk>/selesai/", courses.course_finish, name="course_finish"),
    path("<int:pk>/batalkan/", courses.course_cancel, name="course_cancel"),
    path("<int:pk>/peserta/", people.participants, name="participants"),
    path("<int:pk>/penilaian/", people.feedback, name="feedback"),
    path("<int:pk>/sertifikat/", public.certificates_issue, name="certificates_issue"),
    path("pertemuan/<int:pk>/ubah/", courses.session_edit, name="session_edit"),
    path("pertemuan/<int:pk>/hapus/", courses.session_remove, name="session_remove"),
    path("pertemuan/<int:pk>/absensi/", people.attendance, name="attendance"),
    path("pertemuan/<int:pk>/absensi/<int:participant_id>/", people.attendance_mark, name="attendance_mark"),
    path("pertemuan/<int:pk>/absensi/selesai/", people.attendance_close, name="attendance_close"),
    path("peserta/<int:pk>/berhenti/", people.participant_drop, name="participant_drop"),
    path("peserta/<int:pk>/nilai/", people.participant_score, name="participant_score"),
    path("peserta/<int:pk>/sertifikat/", public.certificate_issue, name="certificate_issue"),
    path("sertifikat/<int:pk>/", public.certificate_print, name="certificate_print"),
    path("sertifikat/<int:pk>/cabut/", public.certificate_revoke, name="certificate_revoke"),
    path("verifikasi/", public.verify_form, name="verify_form"),
    path("verifikasi/<str:code>/", public.verify, name="verify"),
]
