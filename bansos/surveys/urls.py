from django.urls import path

from bansos.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("putaran/baru/", views.round_create, name="round_create"),
    path("putaran/<int:pk>/", views.round_detail, name="round_detail"),
    path("putaran/<int:pk>/status/", views.round_status, name="round_status"),
    path("putaran/<int:pk>/ekspor.<str:fmt>", views.round_export, name="round_export"),
    path("putaran/<int:pk>/isi/", views.entry_search, name="entry_search"),
    path("putaran/<int:pk>/keluarga/<int:hid>/", views.entry_household, name="entry_household"),
    path("putaran/<int:pk>/keluarga/<int:hid>/segarkan/", views.entry_refresh, name="entry_refresh"),
    path("formulir/", views.form_list, name="form_list"),
    path("formulir/impor/", views.form_import, name="form_import"),
    path("formulir/contoh-xlsform.xlsx", views.form_example, name="form_example"),
    path("formulir/<int:pk>/", views.form_detail, name="form_detail"),
    path("formulir/<int:pk>/bagian/", views.section_add, name="section_add"),
    path("formulir/<int:pk>/pertanyaan/", views.question_add, name="question_add"),
    path("formulir/<int:pk>/pertanyaan/<int:qid>/pilihan/", views.choice_add, name="choice_add"),
    path("formulir/<int:pk>/urutan/", views.builder_move, name="builder_move"),
    path("formulir/<int:pk>/status/", views.form_status, name="form_status"),
]
