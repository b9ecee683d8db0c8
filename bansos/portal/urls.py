"""URLs of the portal app (prefix ``warga/``)."""

from django.urls import path

from bansos.portal import views_account as account
from bansos.portal import views_home as mine
from bansos.portal import views_office as office
from bansos.portal import views_public as public
from bansos.portal import views_pwa as pwa

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("program/", public.catalog, name="catalog"),
    path("program/<int:pk>/", public.program_detail, name="program_detail"),
    path("program/<int:pk>/daftar/", mine.apply, name="apply"),
    path("cocokkan/", public.questionnaire, name="questionnaire"),
    path("cek-status/", public.status, name="status"),
    path("luring/", public.offline, name="offline"),
    path("akun/aktivasi/", account.activate, name="activate"),
    path("akun/aktivasi/kode/", account.activate_code, name="activate_code"),
    path("akun/aktivasi/kata-sandi/", account.activate_password, name="activate_password"),
    path("akun/masuk/", account.sign_in, name="login"),
    path("beranda/", mine.beranda, name="beranda"),
    path("kantor/kode-aktivasi/", office.office_code, name="office_code"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
]
