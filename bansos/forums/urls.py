"""URLs of the forums app (prefix ``forum/``)."""

from django.urls import path

from bansos.forums import views, views_feedback, views_staff

app_name = "forums"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.forum, name="forum"),
    path("utas/<int:pk>/", views.thread, name="thread"),
    path("utas/<int:pk>/balas/", views.reply, name="reply"),
    path("utas/<int:pk>/laporkan/", views.thread_report, name="thread_report"),
    path("balasan/<int:pk>/laporkan/", views.reply_report, name="reply_report"),
    # moderation
    path("moderasi/", views_staff.moderation_queue, name="moderation"),
    path("laporan/<int:pk>/tinjau/", views_staff.report_review, name="report_review"),
    path("utas/<int:pk>/sembunyikan/", views_staff.thread_hide, name="thread_hide"),
    path("utas/<int:pk>/tampilkan/", views_staff.thread_restore, name="thread_restore"),
    path("utas/<int:pk>/kunci/", views_staff.thread_lock, name="thread_lock"),
    path("balasan/<int:pk>/sembunyikan/", views_staff.reply_hide, name="reply_hide"),
    path("balasan/<int:pk>/tampilkan/", views_staff.reply_restore, name="reply_restore"),
    # ratings
    path("penilaian/", views_feedback.ratings, name="ratings"),
    path("penilaian/pertemuan/<int:pk>/", views_feedback.rate_session, name="rate_session"),
    path("penilaian/program/<int:pk>/", views_feedback.rate_program, name="rate_program"),
    path("umpan-balik/", views_staff.feedback_overview, name="feedback_overview"),
    path("umpan-balik/<int:pk>/", views_staff.program_feedback, name="program_feedback"),
]
