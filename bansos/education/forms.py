"""Forms of the education pages (input only; the rules are the services')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.education.models import SchoolLevel, StudentStatus


class SchoolForm(forms.Form):
    name = forms.CharField(label=_("Nama sekolah"), max_length=120)
    level = forms.ChoiceField(label=_("Jenjang"), choices=SchoolLevel.choices)
    is_private = forms.BooleanField(label=_("Sekolah swasta"), required=False)
    npsn = forms.CharField(label=_("NPSN"), max_length=8, required=False,
                           help_text=_("8 angka; kosongkan bila belum diketahui."))
    address = forms.CharField(label=_("Alamat"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


class StudentEnrollForm(forms.Form):
    nik = forms.CharField(label=_("NIK anak"), max_length=16, min_length=16)
    grade = forms.IntegerField(label=_("Kelas"), min_value=1, max_value=13)
    school_year = forms.CharField(label=_("Tahun ajaran"), max_length=9, help_text=_("Contoh: 2026/2027"))
    nisn = forms.CharField(label=_("NISN"), max_length=10, required=False)


class StudentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=[
        c for c in StudentStatus.choices if c[0] != StudentStatus.ENROLLED])
    reason = forms.CharField(label=_("Alasan"), max_length=200)


class SheetChoiceForm(forms.Form):
    grade = forms.IntegerField(label=_("Kelas"), min_value=1, max_value=13)
    month = forms.CharField(label=_("Bulan"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV"),
                           help_text=_("Kolom: nisn atau nik, bulan (2026-09), hadir, hari_sekolah."))


class TermsForm(forms.Form):
    min_attendance = forms.IntegerField(label=_("Kehadiran minimal per bulan (%)"), min_value=1, max_value=100)
    misses_to_suspend = forms.IntegerField(label=_("Bulan berturut-turut di bawah syarat sampai bantuan ditangguhkan"),
                                           min_value=1, max_value=12)
    resume_on_pass = forms.BooleanField(label=_("Lanjutkan bantuan bila kehadiran kembali memenuhi syarat"),
                                        required=False)
