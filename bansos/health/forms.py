"""Forms of the posyandu pages. Numbers stay text here so that "8,5" and "8.5" both reach the service,
which cleans and checks them (one place for the rules, shared with the API)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.health.models import Immunization, Position, VitaminA


def _number(label, unit_hint: str, *, required: bool = False):
    return forms.CharField(label=label, required=required, max_length=8, help_text=unit_hint,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


class SessionOpenForm(forms.Form):
    date = forms.DateField(label=_("Tanggal hari buka"), initial=timezone.localdate,
                           widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    place = forms.CharField(label=_("Tempat"), max_length=150, required=False)
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VisitForm(forms.Form):
    visit_date = forms.DateField(label=_("Tanggal kunjungan"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    weight_kg = _number(_("Berat badan (kg)"), _("misalnya 8,45"))
    length_cm = _number(_("Panjang/tinggi badan (cm)"), _("misalnya 72,5"))
    position = forms.ChoiceField(label=_("Cara ukur"), choices=Position.choices, required=False,
                                 widget=forms.RadioSelect)
    head_cm = _number(_("Lingkar kepala (cm)"), "")
    muac_cm = _number(_("Lingkar lengan atas / LiLA (cm)"), "")
    oedema = forms.BooleanField(label=_("Ada edema (bengkak) di kedua punggung kaki"), required=False)
    immunizations = forms.MultipleChoiceField(label=_("Imunisasi yang diberikan hari ini"), required=False,
                                              choices=Immunization.choices, widget=forms.CheckboxSelectMultiple)
    vitamin_a = forms.ChoiceField(label=_("Vitamin A"), choices=VitaminA.choices, required=False)
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if correcting:
            self.fields["reason"] = forms.CharField(label=_("Alasan perubahan"), max_length=250)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Tindak lanjut"), max_length=250)
