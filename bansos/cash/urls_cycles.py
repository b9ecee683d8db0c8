"""URLs: the cash overview, paying institutions, schemes, cycles and payee accounts (views_cycles, views_setup)."""

from django.urls import path

from bansos.cash import views_cycles as cycles
from bansos.cash import views_setup as setup

urlpatterns = [
    path("", cycles.overview, name="overview"),
    path("lembaga-bayar/", setup.institution_list, name="institution_list"),
    path("lembaga-bayar/baru/", setup.institution_create, name="institution_create"),
    path("lembaga-bayar/<int:pk>/ubah/", setup.institution_edit, name="institution_edit"),
    path("program/<int:program_id>/skema/", setup.scheme_edit, name="scheme_edit"),
    path("program/<int:program_id>/siklus/", cycles.cycle_list, name="cycle_list"),
    path("program/<int:program_id>/siklus/baru/", cycles.cycle_create, name="cycle_create"),
    path("siklus/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("siklus/<int:pk>/buat-daftar/", cycles.cycle_generate, name="cycle_generate"),
    path("siklus/<int:pk>/setujui/", cycles.cycle_approve, name="cycle_approve"),
    path("siklus/<int:pk>/batalkan/", cycles.cycle_cancel, name="cycle_cancel"),
    path("keluarga/<int:household_id>/rekening/", setup.account_edit, name="account_edit"),
]
