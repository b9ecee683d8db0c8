"""URLs of the health app (posyandu sessions, child visits, growth charts, alerts)."""

from django.urls import path

from bansos.health import views

app_name = "health"

urlpatterns = [
    path("", views.index, name="index"),
    path("posyandu/<int:pk>/", views.posyandu_detail, name="posyandu_detail"),
    path("posyandu/<int:pk>/buka-sesi/", views.session_open, name="session_open"),
    path("sesi/<int:pk>/", views.session_detail, name="session_detail"),
    path("sesi/<int:pk>/unduh.csv", views.session_export, name="session_export"),
    path("sesi/<int:pk>/anak/<int:child_pk>/", views.visit_form, name="visit_form"),
    path("kunjungan/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("anak/<int:pk>/", views.child_detail, name="child_detail"),
    path("peringatan/<int:pk>/tindak-lanjut/", views.alert_resolve, name="alert_resolve"),
]

# Maternal care, health education and referrals (views_maternal, views_outreach).
from bansos.health import views_maternal, views_outreach  # noqa: E402

urlpatterns += [
    path("posyandu/<int:pk>/ibu-hamil/", views_maternal.mothers, name="mothers"),
    path("posyandu/<int:pk>/ibu-hamil/unduh.csv", views_maternal.mothers_export, name="mothers_export"),
    path("ibu/<int:resident_pk>/kehamilan-baru/", views_maternal.pregnancy_new, name="pregnancy_new"),
    path("kehamilan/<int:pk>/", views_maternal.pregnancy_detail, name="pregnancy_detail"),
    path("kehamilan/<int:pk>/periksa/", views_maternal.antenatal_new, name="antenatal_new"),
    path("kehamilan/<int:pk>/hpl/", views_maternal.edd_edit, name="edd_edit"),
    path("kehamilan/<int:pk>/persalinan/", views_maternal.delivery_new, name="delivery_new"),
    path("kehamilan/<int:pk>/nifas/", views_maternal.postnatal_new, name="postnatal_new"),
    path("kehamilan/<int:pk>/selesai/", views_maternal.pregnancy_end, name="pregnancy_end"),
    path("keluarga/<int:household_pk>/kematian/", views_maternal.death_new, name="death_new"),
    path("posyandu/<int:pk>/penyuluhan/", views_outreach.education_list, name="education_list"),
    path("penyuluhan/<int:pk>/", views_outreach.education_detail, name="education_detail"),
    path("posyandu/<int:pk>/rujukan/", views_outreach.referral_list, name="referral_list"),
    path("warga/<int:resident_pk>/rujukan-baru/", views_outreach.referral_new, name="referral_new"),
    path("rujukan/<int:pk>/hasil/", views_outreach.referral_outcome, name="referral_outcome"),
]
