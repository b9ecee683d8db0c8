"""Forms of the linkage app's pages (input shape only; the services hold the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency

FIELD_NAMES = {
    "nik": _("NIK"), "full_name": _("Nama"), "birth_date": _("Tanggal lahir"), "sex": _("Jenis kelamin"),
    "kk": _("Nomor KK"), "rt": _("RT"), "rw": _("RW"), "address": _("Alamat"),
}


class ListUploadForm(forms.Form):
    title = forms.CharField(label=_("Judul daftar"), max_length=120, required=False,
                            help_text=_("Misalnya: Penerima sembako LSM Peduli 2025. Kosong: nama berkas."))
    agency = forms.ModelChoiceField(label=_("Lembaga pemilik daftar"), queryset=Agency.objects.none(), required=False)
    file = forms.FileField(label=_("Berkas CSV atau XLSX"), allow_empty_file=True,
                           help_text=_("Baris pertama berisi judul kolom. Kolom dipetakan pada langkah berikutnya."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.role == "admin":
            self.fields["agency"].queryset = Agency.objects.order_by("name")
            self.fields["agency"].required = True
        else:
            del self.fields["agency"]
