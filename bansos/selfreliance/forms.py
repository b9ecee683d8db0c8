"""Forms of the selfreliance pages (the services validate again and decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.selfreliance.components import COMPONENTS


class IndexModelForm(forms.Form):
    name = forms.CharField(label=_("Nama model"), max_length=120)
    poverty_line = forms.CharField(label=_("Garis kemiskinan per kapita per bulan (Rp)"), max_length=12,
                                   help_text=_("Garis kemiskinan DKI Jakarta (BPS), misalnya 825288."))
    threshold = forms.CharField(label=_("Ambang mandiri (1-100)"), max_length=3)
    months_required = forms.CharField(label=_("Bulan berturut-turut di atas ambang sebelum diusulkan lulus"),
                                      max_length=2)
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in COMPONENTS:
            self.fields[f"w_{c.code}"] = forms.CharField(label=c.label, max_length=3, help_text=c.definition)

    def weight_fields(self):
        return [self[f"w_{c.code}"] for c in COMPONENTS]

    def plain_fields(self):
        return [self[name] for name in ("name", "poverty_line", "threshold", "months_required", "notes")]


class ComputeForm(forms.Form):
    first_month = forms.CharField(label=_("Dari bulan"), widget=forms.TextInput(attrs={"type": "month"}))
    last_month = forms.CharField(label=_("Sampai bulan"), widget=forms.TextInput(attrs={"type": "month"}))


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Alasan / catatan"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
