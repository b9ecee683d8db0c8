"""Forms of the setup pages: paying institutions, a program's cash scheme, a household's payee account.

They turn text into typed values (money as ``300.000``, the payment-file columns as one per line);
the rules are the services'.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.cash.amounts import COMPONENTS
from bansos.cash.files import PAYMENT_COLUMNS
from bansos.cash.models import AmountRule, Frequency, InstitutionKind, PaymentInstitution
from bansos.programs.forms_catalog import MoneyField

MSG_TOO_MANY_COLUMNS = _("Paling banyak %(max)s baris kolom.")
MSG_LINE_TOO_LONG = _("Baris %(line)s terlalu panjang.")
MAX_COLUMN_LINES = 40
DELIMITER_CHOICES = [
    (",", _("Koma ( , )")), (";", _("Titik koma ( ; )")), ("\t", _("Tab")), ("|", _("Garis tegak ( | )")),
]


def columns_to_text(columns: list) -> str:
    """An institution's column configuration as the form shows it: ``key`` or ``key=HEADER`` per line."""
    lines = []
    for item in columns or []:
        key = item.get("key") if isinstance(item, dict) else str(item)
        header = item.get("header") if isinstance(item, dict) else None
        column = PAYMENT_COLUMNS.get(key)
        if header and (column is None or header != column.header):
            lines.append(f"{key}={header}")
        else:
            lines.append(key)
    return "\n".join(lines)


def text_to_columns(text: str) -> list:
    """``key[=HEADER]`` lines to the list the service validates (keys are checked there)."""
    columns: list = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, header = line.partition("=")
        key = key.strip()
        columns.append({"key": key, "header": header.strip()} if sep and header.strip() else key)
    return columns


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("Nama lembaga bayar"), max_length=120,
                           help_text=_("Misalnya: Bank DKI Cabang Kebon Jeruk, Kantor Pos Kebon Jeruk."))
    kind = forms.ChoiceField(label=_("Cara pembayaran"), choices=[("", _("Pilih cara"))] + InstitutionKind.choices)
    columns = forms.CharField(
        label=_("Kolom berkas pembayaran"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 7, "spellcheck": "false", "autocapitalize": "off",
                                     "class": "mono"}),
        help_text=_("Satu kolom per baris, berurutan: kunci kolom, boleh diikuti = dan judul kolom yang diminta "
                    "lembaga, misalnya reference=NO_REF. Kolom referensi dan nominal wajib ada."),
    )
    file_format = forms.ChoiceField(label=_("Format berkas"), choices=[("csv", "CSV"), ("xlsx", "XLSX (Excel)")])
    csv_delimiter = forms.ChoiceField(label=_("Pemisah kolom CSV"), choices=DELIMITER_CHOICES, initial=",")
    is_active = forms.BooleanField(label=_("Aktif (dapat dipilih untuk skema baru)"), required=False, initial=True)

    def clean_columns(self):
        text = self.cleaned_data["columns"]
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_COLUMN_LINES:
            raise forms.ValidationError(MSG_TOO_MANY_COLUMNS, params={"max": MAX_COLUMN_LINES})
        for number, line in enumerate(lines, start=1):
            if len(line) > 100:
                raise forms.ValidationError(MSG_LINE_TOO_LONG, params={"line": number})
        return text

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["columns"] = text_to_columns(data["columns"])
        return data

    @staticmethod
    def initial_for(institution: PaymentInstitution) -> dict:
        return {"name": institution.name, "kind": institution.kind, "columns": columns_to_text(institution.columns),
                "file_format": institution.file_format, "csv_delimiter": institution.csv_delimiter,
                "is_active": institution.is_active}


class _InstitutionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


COMPONENT_LABELS = {
    "per_child_sd": _("Per anak sekolah usia SD (6–12 tahun)"),
    "per_child_smp": _("Per anak sekolah usia SMP (13–15 tahun)"),
    "per_child_sma": _("Per anak sekolah usia SMA/SMK (16–18 tahun)"),
    "per_child_smk": _("Per siswa SMK (menurut data sekolah; kosong: nilai SMA/SMK)"),
    "per_child_pkbm": _("Per warga belajar PKBM (menurut data sekolah)"),
    "per_child_private": _("Tambahan per anak di sekolah swasta (menurut data sekolah)"),
    "per_pregnant": _("Per ibu hamil"),
    "per_under_five": _("Per balita (di bawah 5 tahun)"),
    "per_elderly": _("Per lansia (60 tahun ke atas)"),
    "per_disability": _("Per penyandang disabilitas"),
}


class SchemeForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Frekuensi pembayaran"), choices=Frequency.choices, widget=forms.RadioSelect,
                                  help_text=_("Triwulanan membayar tiga bulan sekaligus."))
    amount_rule = forms.ChoiceField(label=_("Cara menghitung nilai"), choices=AmountRule.choices,
                                    widget=forms.RadioSelect)
    flat_amount = MoneyField(label=_("Nilai per peserta per bulan"), required=False,
                             help_text=_("Untuk cara “sama untuk setiap peserta”, misalnya Rp 300.000."))
    institution = _InstitutionChoice(label=_("Lembaga bayar"), queryset=PaymentInstitution.objects.none(),
                                     empty_label=_("Pilih lembaga bayar"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in COMPONENTS:
            self.fields[code] = MoneyField(label=COMPONENT_LABELS.get(code, COMPONENTS[code]), required=False)
        self.fields["household_cap"] = MoneyField(
            label=_("Batas per keluarga per bulan"), required=False, min_value=1,
            help_text=_("Kosongkan bila tidak dibatasi. Jumlah komponen satu keluarga tidak melebihi batas ini."))
        # The institution last: after the amounts it pays.
        self.fields["institution"] = self.fields.pop("institution")
        self.fields["institution"].queryset = PaymentInstitution.objects.filter(is_active=True).order_by("name")

    def component_fields(self):
        return [self[code] for code in COMPONENTS]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("flat_amount", *COMPONENTS):
            data[name] = data.get(name) or 0
        return data

    @staticmethod
    def initial_for(scheme) -> dict:
        if scheme is None:
            return {"frequency": Frequency.MONTHLY, "amount_rule": AmountRule.FLAT}
        initial = {"frequency": scheme.frequency, "amount_rule": scheme.amount_rule,
                   "flat_amount": scheme.flat_amount or None, "household_cap": scheme.household_cap,
                   "institution": scheme.institution_id if scheme.institution.is_active else None}
        for code in COMPONENTS:
            initial[code] = getattr(scheme, code) or None
        return initial


class AccountForm(forms.Form):
    institution = _InstitutionChoice(label=_("Lembaga bayar"), queryset=PaymentInstitution.objects.none(),
                                     empty_label=_("Pilih lembaga bayar"))
    account_number = forms.CharField(
        label=_("Nomor rekening"), max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Angka saja; spasi dan tanda hubung boleh. Untuk kantor pos: nomor registrasi penerima."))
    account_name = forms.CharField(label=_("Nama pemilik rekening"), max_length=120,
                                   help_text=_("Seperti tertulis di buku tabungan."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = PaymentInstitution.objects.filter(is_active=True).exclude(
            kind=InstitutionKind.CASH_OFFICE).order_by("name")
