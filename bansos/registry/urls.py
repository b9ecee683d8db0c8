from django.urls import path

from bansos.registry import views, views_dsr, views_import

app_name = "registry"

urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("keluarga/baru/", views.household_create, name="household_create"),
    path("keluarga/<int:pk>/", views.household_detail, name="household_detail"),
    path("keluarga/<int:pk>/ubah/", views.household_edit, name="household_edit"),
    path("keluarga/<int:pk>/status/", views.household_status, name="household_status"),
    path("keluarga/<int:pk>/kepala/", views.household_change_head, name="household_change_head"),
    path("keluarga/<int:pk>/anggota/baru/", views.resident_add, name="resident_add"),
    path("warga/<int:pk>/ubah/", views.resident_edit, name="resident_edit"),
    path("warga/<int:pk>/pindah/", views.resident_move, name="resident_move"),
    path("warga/<int:pk>/status/", views.resident_status, name="resident_status"),
    path("ekspor/", views_import.export_households, name="export"),
    path("impor/", views_import.import_list, name="import_list"),
    path("impor/baru/", views_import.import_create, name="import_create"),
    path("impor/templat.<str:fmt>", views_import.import_template, name="import_template"),
    path("impor/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("impor/<int:pk>/progres/", views_import.import_progress, name="import_progress"),
    path("impor/<int:pk>/laporan.csv", views_import.import_report, name="import_report"),
    path("permintaan-data/", views_dsr.dsr_list, name="dsr_list"),
    path("keluarga/<int:pk>/permintaan-data/baru/", views_dsr.dsr_create, name="dsr_create"),
    path("permintaan-data/<int:pk>/", views_dsr.dsr_detail, name="dsr_detail"),
]
