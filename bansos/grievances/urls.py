"""URLs of the grievances app (prefix ``pengaduan/``)."""

from django.urls import path

from bansos.grievances import views_public as public
from bansos.grievances import views_staff as staff

app_name = "grievances"

urlpatterns = [
    # Staff
    path("", staff.queue, name="queue"),
    path("catat/", staff.record, name="record"),
    path("dasbor/", staff.dashboard, name="dashboard"),
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/tanggapi/", staff.respond, name="respond"),
    path("<int:pk>/catatan/", staff.note, name="note"),
    path("<int:pk>/tugaskan/", staff.assign, name="assign"),
    path("<int:pk>/selesaikan/", staff.resolve, name="resolve"),
    path("<int:pk>/tutup/", staff.reject, name="reject"),
    path("<int:pk>/jenis/", staff.reclassify, name="reclassify"),
    # Anyone (no sign-in)
    path("lapor/", public.file, name="file"),
    path("lacak/", public.track_form, name="track_form"),
    path("lacak/<str:code>/", public.track, name="track"),
    path("lacak/<str:code>/terima/", public.track_accept, name="track_accept"),
    path("lacak/<str:code>/banding/", public.track_appeal, name="track_appeal"),
    # The signed-in resident
    path("saya/", public.my_list, name="my_list"),
    path("saya/<int:pk>/", public.my_detail, name="my_detail"),
    path("saya/<int:pk>/terima/", public.my_accept, name="my_accept"),
    path("saya/<int:pk>/banding/", public.my_appeal, name="my_appeal"),
]
