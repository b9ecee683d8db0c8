"""URLs of the notifications app (prefix ``pemberitahuan/``)."""

from django.urls import path

from bansos.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.announcement_list, name="announcement_list"),
    path("pengumuman/baru/", views.announcement_create, name="announcement_create"),
    path("pengumuman/<int:pk>/", views.announcement_detail, name="announcement_detail"),
    path("pengumuman/<int:pk>/ubah/", views.announcement_edit, name="announcement_edit"),
    path("pengumuman/<int:pk>/terbitkan/", views.announcement_publish, name="announcement_publish"),
    path("pengumuman/<int:pk>/jangkauan/", views.announcement_reach, name="announcement_reach"),
    path("program/<int:pk>/jangkauan/", views.program_reach, name="program_reach"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/kirim-ulang/", views.message_retry, name="message_retry"),
    path("kotak-pesan/", views.inbox, name="inbox"),
    path("kotak-pesan/<int:pk>/", views.inbox_message, name="inbox_message"),
    path("info/", views.public_list, name="public_list"),
    path("info/<int:pk>/", views.public_detail, name="public_detail"),
]
