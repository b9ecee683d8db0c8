"""URLs: payment batches and files, result uploads, failed payments, cash hand-out (see views_payments)."""

from django.urls import path

from bansos.cash import views_payments as views

urlpatterns = [
    path("siklus/<int:cycle_id>/pembayaran/", views.cycle_payments, name="payments"),
    path("siklus/<int:cycle_id>/berkas/", views.batch_create, name="batch_create"),
    path("berkas/<int:batch_id>.csv", views.batch_download, {"file_format": "csv"}, name="batch_download_csv"),
    path("berkas/<int:batch_id>.xlsx", views.batch_download, {"file_format": "xlsx"}, name="batch_download_xlsx"),
    path("siklus/<int:cycle_id>/hasil/", views.result_upload, name="result_upload"),
    path("hasil/<int:upload_id>/", views.result_detail, name="result_detail"),
    path("hasil/<int:upload_id>/masalah.csv", views.result_problems_csv, name="result_problems_csv"),
    path("siklus/<int:cycle_id>/gagal/", views.failed_action, name="failed_action"),
    path("siklus/<int:cycle_id>/serah-terima/", views.handout, name="handout"),
    path("siklus/<int:cycle_id>/serah-terima/tutup/", views.handout_close, name="handout_close"),
    path("serah-terima/<int:payment_id>/", views.receipt_record, name="receipt_record"),
    path("tanda-terima/<int:payment_id>/", views.receipt_detail, name="receipt_detail"),
]
