"""URLs of the linkage app (prefix ``pencocokan/``)."""

from django.urls import path

from bansos.linkage import views_lists, views_review

app_name = "linkage"

urlpatterns = [
    path("", views_review.run_list, name="run_list"),
    path("proses/mulai/", views_review.run_start, name="run_start"),
    path("proses/<int:pk>/", views_review.run_detail, name="run_detail"),
    path("proses/<int:pk>/kemajuan/", views_review.run_progress, name="run_progress"),
    path("tinjau/", views_review.pair_list, name="pair_list"),
    path("tinjau/<int:pk>/", views_review.pair_detail, name="pair_detail"),
    path("tinjau/<int:pk>/gabung/", views_review.pair_confirm_view, name="pair_confirm"),
    path("tinjau/<int:pk>/tolak/", views_review.pair_reject_view, name="pair_reject"),
    path("warga/<int:pk>/", views_review.resident_merges, name="resident_merges"),
    path("penggabungan/<int:pk>/batal/", views_review.merge_undo, name="merge_undo"),
    path("daftar/", views_lists.list_list, name="list_list"),
    path("daftar/unggah/", views_lists.list_upload, name="list_upload"),
    path("daftar/<int:pk>/", views_lists.list_detail, name="list_detail"),
    path("daftar/<int:pk>/kolom/", views_lists.list_map, name="list_map"),
    path("daftar/<int:pk>/kemajuan/", views_lists.list_progress, name="list_progress"),
    path("daftar/<int:pk>/baris/<int:row>/", views_lists.row_decide, name="row_decide"),
    path("daftar/<int:pk>/laporan/", views_lists.list_report, name="list_report"),
    path("daftar/<int:pk>/unduh/", views_lists.list_export, name="list_export"),
]
