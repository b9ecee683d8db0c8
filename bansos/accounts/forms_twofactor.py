"""Forms of the two-factor pages: a code, and an admin's reason for a reset."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "autofocus": True, "pattern": "[0-9 ]*"}),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=500,
                             help_text=_("Misalnya: ponsel hilang, diganti ponsel baru."),
                             widget=forms.TextInput())
