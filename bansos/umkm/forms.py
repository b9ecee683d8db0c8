"""Forms of the UMKM pages. They turn text into typed values (money as ``300.000``, interest as a percent,
a month as ``2026-05``); every rule is the services'."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.core.models import RT, RW
from bansos.programs.forms_catalog import MoneyField
from bansos.programs.models import OPEN_STATES, Program, ProgramKind
from bansos.registry.models import Resident, ResidentStatus
from bansos.umkm import arithmetic as ar
from bansos.umkm.models import BusinessStatus, Sector, SupportKind

MSG_MONTH = _("Tulis bulan sebagai TTTT-BB, misalnya 2026-05.")


def _date(label, **kw):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kw)


class _RTChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"RT {obj.number:02d} / RW {obj.rw.number:02d}"


class _OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} — KK {obj.household.kk_number} (RT {obj.household.rt.number:02d}/RW " \
               f"{obj.household.rt.rw.number:02d})"


FLAG_CHOICES = [("", _("Otomatis dari data pemilik")), ("1", _("Ya")), ("0", _("Tidak"))]


def _flag(value: str) -> bool:
    return value == "1"


class BusinessForm(forms.Form):
    """The profile; on creation also the supporting program and the owner."""

    program = forms.ModelChoiceField(label=_("Program pendamping"), queryset=Program.objects.none(),
                                     empty_label=_("Pilih program UMKM"))
    owner = _OwnerChoice(label=_("Pemilik usaha"), queryset=Resident.objects.none(), empty_label=_("Pilih warga"),
                         help_text=_("Warga aktif dari keluarga yang terdaftar di program UMKM."))
    name = forms.CharField(label=_("Nama usaha"), max_length=150)
    sector = forms.ChoiceField(label=_("Sektor"), choices=[("", _("Pilih sektor"))] + Sector.choices)
    products = forms.CharField(label=_("Produk/jasa"), max_length=250)
    started_on = _date(_("Mulai usaha"))
    rt = _RTChoice(label=_("RT lokasi usaha"), required=False, empty_label=_("Sama dengan rumah"),
                   queryset=RT.objects.select_related("rw").order_by("rw__number", "number"))
    address = forms.CharField(label=_("Alamat usaha"), max_length=250, required=False)
    nib = forms.CharField(label=_("NIB (Nomor Induk Berusaha)"), max_length=13, required=False,
                          help_text=_("13 angka dari OSS, bila sudah ada."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    women_owned = forms.TypedChoiceField(label=_("Usaha milik perempuan"), required=False, coerce=_flag,
                                         empty_value=None, choices=FLAG_CHOICES)
    youth_owned = forms.TypedChoiceField(label=_("Usaha milik pemuda (16-30 tahun)"), required=False,
                                         coerce=_flag, empty_value=None, choices=FLAG_CHOICES)

    def __init__(self, *args, programs=None, owners=None, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["program"].queryset = programs
            self.fields["owner"].queryset = owners
        else:
            del self.fields["program"], self.fields["owner"]
            for name in ("women_owned", "youth_owned"):
                self.fields[name].choices = FLAG_CHOICES[1:]
                self.fields[name].required = True

    def service_data(self) -> dict:
        # A flag left on "automatic" is None: the service derives it from the owner's sex and age.
        return {k: v for k, v in self.cleaned_data.items() if k not in ("program", "owner")}


def creatable_programs(user):
    qs = Program.objects.filter(kind=ProgramKind.ENTERPRISE).exclude(status="closed").select_related("agency")
    if user.role != "admin":
        qs = qs.filter(agency_id=user.agency_id) if user.agency_id else qs.none()
    return qs.order_by("name")


def owner_choices(programs, household_id: int | None = None):
    qs = Resident.objects.filter(
        status=ResidentStatus.ACTIVE, household__status="active",
        household__enrollments__program__in=programs, household__enrollments__state__in=OPEN_STATES,
    ).select_related("household__rt__rw").distinct().order_by("full_name")
    if household_id:
        qs = qs.filter(household_id=household_id)
    return qs


class CloseForm(forms.Form):
    closed_on = _date(_("Tanggal tutup"))
    reason = forms.CharField(label=_("Alasan tutup"), max_length=200)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Keterangan"), max_length=200, required=False)


class PercentField(forms.DecimalField):
    """A percent typed the Indonesian way (``12,5``) or with a dot (``12.5``)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("%", "").strip().replace(",", ".")
        return super().to_python(value)


class CapitalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis bantuan"), choices=SupportKind.choices, widget=forms.RadioSelect,
                             initial=SupportKind.GRANT)
    amount = MoneyField(label=_("Jumlah (Rp)"), min_value=1)
    approved_on = _date(_("Tanggal keputusan"))
    interest_pct = PercentField(label=_("Bunga flat per tahun (%)"), required=False, min_value=Decimal("0"),
                                      max_value=Decimal("100"), decimal_places=2, max_digits=5,
                                      help_text=_("Hanya untuk pinjaman; 0 bila tanpa bunga."))
    term_months = forms.IntegerField(label=_("Jangka waktu (bulan)"), required=False, min_value=1,
                                     max_value=ar.MAX_TERM_MONTHS)
    first_due_date = _date(_("Angsuran pertama"), required=False)
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        pct = data.pop("interest_pct")
        data["interest_bp_year"] = int(pct * 100) if pct is not None else 0
        return data


class DisburseForm(forms.Form):
    disbursed_on = _date(_("Tanggal pencairan"))
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)


class RepaymentForm(forms.Form):
    paid_on = _date(_("Tanggal bayar"))
    amount = MoneyField(label=_("Jumlah (Rp)"), min_value=1)
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=200,
                             help_text=_("Misalnya: salah ketik nominal, tercatat dua kali."))


class EquipmentForm(forms.Form):
    item = forms.CharField(label=_("Barang"), max_length=150)
    value = MoneyField(label=_("Nilai (Rp)"), required=False)
    given_on = _date(_("Tanggal diserahkan"))
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)

    def service_data(self) -> dict:
        return {**self.cleaned_data, "value": self.cleaned_data.get("value") or 0}


class MentoringForm(forms.Form):
    date = _date(_("Tanggal"))
    topic = forms.CharField(label=_("Topik"), max_length=150)
    mentor = forms.CharField(label=_("Pendamping"), max_length=120)
    notes = forms.CharField(label=_("Catatan"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 4}))


class MonthField(forms.Field):
    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "placeholder": "2026-05"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            year, month = str(value).strip()[:7].split("-")
            return dt.date(int(year), int(month), 1)
        except (ValueError, TypeError):
            raise forms.ValidationError(MSG_MONTH, code="invalid") from None


class RevenueForm(forms.Form):
    month = MonthField(label=_("Bulan"))
    revenue = MoneyField(label=_("Omzet (Rp)"))
    profit = forms.IntegerField(label=_("Laba (Rp)"), help_text=_("Angka bulat; tulis minus bila rugi."),
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)


YES = [("", _("Semua")), ("1", _("Ya"))]
TREND_CHOICES = [("", _("Semua")), (ar.NAIK, _("Naik")), (ar.STABIL, _("Stabil")), (ar.TURUN, _("Turun")),
                 (ar.KURANG_DATA, _("Belum cukup data"))]
BUCKET_CHOICES = [("", _("Semua")), ("any", _("Semua yang menunggak")), ("1-30", _("1-30 hari")),
                  ("31-90", _("31-90 hari")), ("90+", _("Lebih dari 90 hari"))]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Cari usaha/pemilik"), required=False, max_length=100)
    rw = forms.TypedChoiceField(label="RW", required=False, coerce=int, empty_value=None)
    sector = forms.ChoiceField(label=_("Sektor"), required=False, choices=[("", _("Semua"))] + Sector.choices)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua"))] + BusinessStatus.choices)
    trend = forms.ChoiceField(label=_("Tren omzet"), required=False, choices=TREND_CHOICES)
    bucket = forms.ChoiceField(label=_("Tunggakan"), required=False, choices=BUCKET_CHOICES)
    women = forms.ChoiceField(label=_("Milik perempuan"), required=False, choices=YES)
    youth = forms.ChoiceField(label=_("Milik pemuda"), required=False, choices=YES)
    on = forms.DateField(label=_("Per tanggal"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rw"].choices = [("", _("Semua"))] + [
            (rw.number, f"RW {rw.number:02d}") for rw in RW.objects.order_by("number")]

