"""Forms of the catalog pages: programs, funding sources, allocations, overlap policies.

They only turn text into typed values; the rules (agency, budget, transitions) are the services'.
Money is typed as plain digits or the way it is printed (``Rp 300.000``).
"""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, Role
from bansos.eligibility.models import EligibilityRule, RuleStatus
from bansos.programs.models import (
    BenefitKind, FundingKind, Participant, PolicyEffect, ProgramKind, ProgramStatus, TargetGroup,
)

MSG_MONEY = _("Tulis jumlah Rupiah tanpa sen, misalnya 300000 atau Rp 300.000.")
MSG_MONEY_TOO_LARGE = _("Jumlah terlalu besar.")
MSG_MONEY_MIN = _("Paling sedikit %(min)s.")
MONEY_MAX = 10**15  # far above any budget, far below the 64-bit column's limit

# "300000", "300.000", "Rp 300.000", "Rp. 300.000,-", "Rp300.000,00": groups of three after dots only,
# so a mistyped "3.00000" is an error rather than a silently different amount.
_MONEY_RE = re.compile(r"^(?:rp\.?)?\s*(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:,(?:0{1,2}|-))?$", re.IGNORECASE)


def parse_rupiah(text: str) -> int:
    """The integer Rupiah amount in ``text``; ValueError when it is not one."""
    match = _MONEY_RE.match((text or "").strip())
    if match is None:
        raise ValueError(text)
    return int(match.group(1).replace(".", ""))


class MoneyField(forms.Field):
    """Whole Rupiah, typed as ``300000`` or ``Rp 300.000``; cleans to an int (or None when empty)."""

    MAX_CHARS = 30

    def __init__(self, *, min_value: int = 0, **kwargs):
        self.min_value = min_value
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "off", "placeholder": "Rp 0", "maxlength": self.MAX_CHARS}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return value

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            amount = value
        else:
            try:
                if len(value) > self.MAX_CHARS:
                    raise ValueError(value)
                amount = parse_rupiah(value)
            except ValueError:
                raise forms.ValidationError(MSG_MONEY, code="invalid") from None
        if amount > MONEY_MAX:
            raise forms.ValidationError(MSG_MONEY_TOO_LARGE, code="max_value")
        if amount < self.min_value:
            raise forms.ValidationError(MSG_MONEY_MIN, code="min_value",
                                        params={"min": f"Rp {self.min_value:,}".replace(",", ".")})
        return amount


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _all(label):
    return [("", label)]


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("Nama program, lembaga, manfaat")}))
    kind = forms.ChoiceField(label=_("Jenis"), required=False, choices=_all(_("Semua jenis")) + ProgramKind.choices)
    agency = forms.TypedChoiceField(label=_("Lembaga"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_all(_("Semua status")) + ProgramStatus.choices)
    target = forms.ChoiceField(label=_("Sasaran"), required=False,
                               choices=_all(_("Semua sasaran")) + TargetGroup.choices)

    def __init__(self, *args, agencies=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _all(_("Semua lembaga")) + [(a.pk, a.name) for a in agencies]

    def filters(self) -> dict:
        """The valid filters; an invalid one (a stale link) is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "", "kind": data.get("kind") or "", "agency_id": data.get("agency"),
            "status": data.get("status") or "", "target_group": data.get("target") or "",
        }


class _RuleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        owner = obj.agency.name if obj.agency_id else _("seluruh kelurahan")
        return f"{obj.name} ({owner})"


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Nama program"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis program"), choices=_all(_("Pilih jenis")) + ProgramKind.choices)
    agency = forms.ModelChoiceField(label=_("Lembaga pelaksana"), queryset=Agency.objects.none(),
                                    empty_label=_("Pilih lembaga"))
    description = forms.CharField(
        label=_("Keterangan untuk warga"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bahasa sederhana: apa programnya, untuk siapa, bagaimana cara ikut. Akan tampil di portal warga."),
    )
    target_groups = forms.MultipleChoiceField(label=_("Kelompok sasaran"), required=False,
                                              choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple)
    rule = _RuleChoice(label=_("Aturan kelayakan"), required=False, queryset=EligibilityRule.objects.none(),
                       empty_label=_("Tanpa aturan"),
                       help_text=_("Aturan lembaga ini atau aturan seluruh kelurahan."))
    participant = forms.ChoiceField(
        label=_("Peserta"), required=False, choices=_all(_("Sesuai jenis program")) + Participant.choices,
        help_text=_("Keluarga (satu KK menerima manfaat) atau perorangan (satu anggota keluarga)."),
    )
    how_to_apply = forms.CharField(
        label=_("Cara mendaftar"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Langkah untuk warga: ke mana datang, dokumen apa yang dibawa. Tampil di portal warga."),
    )
    contact = forms.CharField(label=_("Kontak untuk warga"), required=False, max_length=200,
                              help_text=_("Nomor telepon, alamat kantor atau jam layanan. Tampil di portal warga."))
    resident_applications = forms.BooleanField(
        label=_("Warga dapat mendaftar lewat portal"), required=False,
        help_text=_("Selama program menerima peserta, warga yang sudah masuk dapat mendaftar sendiri."),
    )
    benefit_kind = forms.ChoiceField(label=_("Bentuk manfaat"), choices=_all(_("Pilih bentuk")) + BenefitKind.choices)
    benefit_description = forms.CharField(label=_("Manfaat yang diterima"), required=False, max_length=200,
                                          help_text=_("Misalnya: Rp 300.000 per bulan selama 6 bulan."))
    benefit_amount = MoneyField(label=_("Biaya per peserta per periode"), required=False,
                                help_text=_("Yang dikomitmenkan dari anggaran untuk tiap peserta yang disetujui."))
    benefit_periods = forms.IntegerField(label=_("Jumlah periode"), min_value=1, max_value=1000, initial=1)
    start_date = forms.DateField(label=_("Tanggal mulai"), widget=DateInput())
    end_date = forms.DateField(label=_("Tanggal selesai"), widget=DateInput())
    capacity = forms.IntegerField(label=_("Kuota peserta"), required=False, min_value=1, max_value=10_000_000,
                                  help_text=_("Kosongkan bila tidak dibatasi."))

    def __init__(self, *args, user, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.program = program
        agency_field = self.fields["agency"]
        if program is not None:
            # A program never changes agency: its enrollments and money belong there.
            agency_field.queryset = Agency.objects.filter(pk=program.agency_id)
            agency_field.disabled = True
            agency_field.initial = program.agency_id
            agency_field.help_text = _("Lembaga pelaksana tidak dapat diubah.")
            owner = program.agency_id
        elif user.role != Role.ADMIN:
            agency_field.queryset = Agency.objects.filter(pk=user.agency_id)
            agency_field.disabled = True
            agency_field.initial = user.agency_id
            agency_field.help_text = _("Program dibuat untuk lembaga Anda.")
            owner = user.agency_id
        else:
            agency_field.queryset = Agency.objects.filter(is_active=True).order_by("name")
            owner = None
        rules = EligibilityRule.objects.select_related("agency").order_by("name", "pk")
        if owner is not None:
            rules = rules.filter(Q(agency_id=owner) | Q(agency__isnull=True))
        current_rule = getattr(program, "rule_id", None)
        rules = rules.filter(~Q(status=RuleStatus.ARCHIVED) | Q(pk=current_rule or 0))
        self.fields["rule"].queryset = rules
        if owner is None:
            self.fields["rule"].help_text = _("Aturan lembaga yang dipilih atau aturan seluruh kelurahan.")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("benefit_amount") is None:
            data["benefit_amount"] = 0
        if self.user.role != Role.ADMIN and self.program is None:
            data["agency"] = None  # the service puts an officer's program in the officer's agency
        return data


class FundingSourceForm(forms.Form):
    name = forms.CharField(label=_("Nama sumber dana"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis sumber dana"), choices=_all(_("Pilih jenis")) + FundingKind.choices)
    agency = forms.ModelChoiceField(
        label=_("Pemberi dana"), required=False, queryset=Agency.objects.order_by("name"),
        empty_label=_("Kelurahan / anggaran pemerintah"),
        help_text=_("Lembaga mitra yang memberi dana; kosongkan untuk anggaran kelurahan atau pemerintah."),
    )
    shared = forms.BooleanField(label=_("Boleh dipakai program lembaga lain"), required=False, initial=True)
    fiscal_year = forms.IntegerField(label=_("Tahun anggaran"), min_value=2000, max_value=2100)
    amount = MoneyField(label=_("Jumlah dana"), min_value=1)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


ADD, WITHDRAW = "add", "withdraw"


class _SourceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        available = f"Rp {obj.available:,}".replace(",", ".")
        return str(_("%(name)s (%(year)s) — tersedia %(available)s")) % {
            "name": obj.name, "year": obj.fiscal_year, "available": available}


class AllocationForm(forms.Form):
    source = _SourceChoice(label=_("Sumber dana"), queryset=None, empty_label=_("Pilih sumber dana"))
    direction = forms.ChoiceField(
        label=_("Tindakan"), choices=[(ADD, _("Tambah ke anggaran program")), (WITHDRAW, _("Tarik kembali ke sumber"))],
        initial=ADD, widget=forms.RadioSelect,
    )
    amount = MoneyField(label=_("Jumlah"), min_value=1)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=200)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources

    def signed_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        return -amount if self.cleaned_data["direction"] == WITHDRAW else amount


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ProgramStatus.choices)
    reason = forms.CharField(label=_("Alasan (boleh kosong)"), required=False, max_length=500)


class OverlapPolicyForm(forms.Form):
    kind_a = forms.ChoiceField(label=_("Jenis program"), choices=_all(_("Pilih jenis")) + ProgramKind.choices)
    kind_b = forms.ChoiceField(label=_("Bersama jenis program"), choices=_all(_("Pilih jenis")) + ProgramKind.choices,
                               help_text=_("Boleh sama dengan yang pertama, misalnya dua bantuan tunai."))
    effect = forms.ChoiceField(
        label=_("Akibat"), widget=forms.RadioSelect,
        choices=[(PolicyEffect.FORBID, _("Tidak boleh: persetujuan ditolak")),
                 (PolicyEffect.WARN, _("Peringatan: petugas harus mengonfirmasi"))],
    )
    same_period = forms.BooleanField(label=_("Hanya jika periode kedua program bertumpang tindih"), required=False,
                                     initial=True)
    note = forms.CharField(label=_("Alasan kebijakan"), required=False, max_length=200,
                           help_text=_("Ditampilkan kepada petugas saat persetujuan ditolak atau diperingatkan."))
    is_active = forms.BooleanField(label=_("Berlaku"), required=False, initial=True)
