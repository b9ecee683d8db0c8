"""URLs: catalog pages (see views_catalog)."""

from django.urls import path

from bansos.programs import views_catalog as views

urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("baru/", views.program_create, name="program_create"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/ubah/", views.program_edit, name="program_edit"),
    path("<int:pk>/status/", views.program_status, name="program_status"),
    path("<int:pk>/alokasi/", views.program_allocate, name="program_allocate"),
    path("dana/", views.funding_list, name="funding_list"),
    path("dana/baru/", views.funding_create, name="funding_create"),
    path("dana/<int:pk>/ubah/", views.funding_edit, name="funding_edit"),
    path("kebijakan-tumpang-tindih/", views.policy_list, name="policy_list"),
    path("kebijakan-tumpang-tindih/baru/", views.policy_create, name="policy_create"),
    path("kebijakan-tumpang-tindih/<int:pk>/ubah/", views.policy_edit, name="policy_edit"),
]
