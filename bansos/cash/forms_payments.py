"""Forms of the payment pages: result upload, failed entitlements, the cash hand-out and its closing.

They check the shape of the input only; every rule (states, amounts, identity) is the services'.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.cash.models import IdentityDocument
from bansos.cash.services.reconcile import MAX_BYTES

MSG_FILE_TOO_BIG = _("Berkas terlalu besar (paling besar %(max)s MB).")
MSG_FILE_EMPTY = _("Berkas kosong.")
MSG_PICK_SOME = _("Pilih paling sedikit satu penerima, atau centang “semua yang gagal”.")
MSG_REASON = _("Alasan wajib diisi.")
MSG_NIK_DIGITS = _("NIK harus 16 angka.")
MSG_IDENTITY = _("Cocokkan identitas penerima dengan dokumennya dahulu.")

RETRY = "retry"
CANCEL = "cancel"


class ResultUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas hasil dari lembaga bayar (CSV atau XLSX)"), allow_empty_file=True,
        help_text=_("Kolom wajib: referensi, status (berhasil/gagal), nominal. Boleh juga: alasan, tanggal bayar."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(MSG_FILE_TOO_BIG, params={"max": MAX_BYTES // (1024 * 1024)})
        if upload.size == 0:
            raise forms.ValidationError(MSG_FILE_EMPTY)
        return upload


class _Ids(forms.Field):
    """Ticked entitlement ids (checkboxes named ``ids``); the service keeps only the cycle's failed ones."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        try:
            return sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(MSG_PICK_SOME) from None


class FailedActionForm(forms.Form):
    """Retry or cancel failed entitlements: the ticked ones, or all of them."""

    action = forms.ChoiceField(choices=[(RETRY, RETRY), (CANCEL, CANCEL)])
    ids = _Ids(required=False)
    everything = forms.BooleanField(label=_("Semua yang gagal"), required=False)
    reason = forms.CharField(label=_("Alasan pembatalan"), required=False, max_length=200,
                             help_text=_("Wajib untuk pembatalan, misalnya “penerima pindah domisili”."))

    def clean(self):
        data = super().clean()
        if not data.get("everything") and not data.get("ids"):
            raise forms.ValidationError(MSG_PICK_SOME)
        if data.get("action") == CANCEL and not (data.get("reason") or "").strip():
            self.add_error("reason", MSG_REASON)
        return data

    def selected(self):
        """The ids for the service: None means every failed entitlement of the cycle."""
        return None if self.cleaned_data.get("everything") else self.cleaned_data["ids"]


class HandoutSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Kode pengambilan, NIK atau nama"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "search"}),
    )


class ReceiptForm(forms.Form):
    receiver_name = forms.CharField(label=_("Nama yang menerima uang"), max_length=120)
    receiver_nik = forms.CharField(label=_("NIK yang menerima uang"), max_length=20,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    identity_document = forms.ChoiceField(label=_("Dokumen identitas yang diperlihatkan"),
                                          choices=IdentityDocument.choices, initial=IdentityDocument.KTP)
    identity_checked = forms.BooleanField(label=_("Identitas sudah dicocokkan"),
                                          error_messages={"required": MSG_IDENTITY})
    receiver_note = forms.CharField(label=_("Keterangan"), max_length=200, required=False,
                                    help_text=_("Misalnya “diambil oleh istri” bila bukan penerimanya sendiri."))

    def clean_receiver_nik(self):
        nik = "".join(self.cleaned_data["receiver_nik"].split()).replace(".", "")
        if not (nik.isdigit() and len(nik) == 16):
            raise forms.ValidationError(MSG_NIK_DIGITS)
        return nik


class HandoutCloseForm(forms.Form):
    batch = forms.TypedChoiceField(label=_("Berkas"), coerce=int)
    reason = forms.CharField(label=_("Alasan penutupan"), max_length=200, error_messages={"required": MSG_REASON},
                             help_text=_("Misalnya “batas waktu pengambilan 31 Maret sudah lewat”."))

    def __init__(self, *args, batches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].choices = [
            (b.pk, _("Berkas %(number)s: %(count)s belum diambil") % {"number": b.number, "count": b.waiting})
            for b in batches
        ]
