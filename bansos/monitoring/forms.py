"""Forms of the monitoring app (validation of shape only; rules are the services')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Nama indikator"), max_length=150)
    definition = forms.CharField(label=_("Definisi"), widget=forms.Textarea(attrs={"rows": 4}))
    baseline = forms.FloatField(label=_("Nilai dasar (baseline)"), required=False)
    baseline_date = forms.DateField(label=_("Tanggal baseline"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    target = forms.FloatField(label=_("Target"), required=False)
    target_date = forms.DateField(label=_("Tanggal target"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    is_active = forms.BooleanField(label=_("Aktif (dihitung dalam potret)"), required=False)


class SnapshotForm(forms.Form):
    month = forms.CharField(label=_("Bulan (TTTT-BB)"), max_length=7,
                            widget=forms.TextInput(attrs={"placeholder": "2025-08", "inputmode": "numeric"}))


class BoundaryForm(forms.Form):
    file = forms.FileField(label=_("Berkas GeoJSON (FeatureCollection, properti \"rw\")"))
