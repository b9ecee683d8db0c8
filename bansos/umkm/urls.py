"""URLs of the umkm app (views: businesses; views_records: support recorded on a business)."""

from django.urls import path

from bansos.umkm import views
from bansos.umkm import views_records as records

app_name = "umkm"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("usaha/baru/", views.business_create, name="business_create"),
    path("usaha/<int:pk>/", views.business_detail, name="business_detail"),
    path("usaha/<int:pk>/ubah/", views.business_edit, name="business_edit"),
    path("usaha/<int:pk>/tutup/", views.business_close, name="business_close"),
    path("usaha/<int:pk>/buka-kembali/", views.business_reopen, name="business_reopen"),
    path("usaha/<int:pk>/modal/", records.capital_create, name="capital_create"),
    path("usaha/<int:pk>/peralatan/", records.equipment_create, name="equipment_create"),
    path("usaha/<int:pk>/pendampingan/", records.mentoring_create, name="mentoring_create"),
    path("usaha/<int:pk>/omzet/", records.revenue_create, name="revenue_create"),
    path("modal/<int:pk>/cairkan/", records.capital_disburse, name="capital_disburse"),
    path("modal/<int:pk>/bayar/", records.repayment_create, name="repayment_create"),
    path("pembayaran/<int:pk>/batalkan/", records.repayment_reverse, name="repayment_reverse"),
]
