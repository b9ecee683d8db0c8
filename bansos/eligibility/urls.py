from django.urls import path

from bansos.eligibility import views

app_name = "eligibility"

urlpatterns = [
    path("", views.rule_list, name="rule_list"),
    path("aturan/baru/", views.rule_create, name="rule_create"),
    path("aturan/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("aturan/<int:pk>/ubah/", views.rule_edit, name="rule_edit"),
    path("aturan/<int:pk>/status/", views.rule_status, name="rule_status"),
    path("aturan/<int:pk>/jalankan/", views.rule_run, name="rule_run"),
    path("aturan/<int:pk>/keluarga/<int:household_id>/", views.explanation, name="explanation"),
    path("penilaian/<int:pk>/", views.run_detail, name="run_detail"),
    path("penilaian/<int:pk>/kemajuan/", views.run_progress, name="run_progress"),
]
