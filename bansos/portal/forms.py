"""Forms of the portal. They only type the input; the rules (throttles, matching, codes) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.portal.selectors import QUESTIONS
from bansos.programs.models import ProgramKind, TargetGroup


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _digits(label, help_text=""):
    return forms.CharField(label=label, max_length=24, help_text=help_text, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*", "maxlength": 24}))


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari program"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("mis. pelatihan, beasiswa")}))
    kind = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *ProgramKind.choices])
    target = forms.ChoiceField(label=_("Untuk"), required=False,
                               choices=[("", _("Semua warga")), *TargetGroup.choices])

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": data.get("q") or "", "kind": data.get("kind") or "", "target": data.get("target") or ""}


class QuestionnaireForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.key] = forms.BooleanField(label=question.text, required=False)


class StatusForm(forms.Form):
    nik = _digits(_("NIK (16 angka)"), _("Tertera di KTP atau Kartu Keluarga."))
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DateInput())


class ActivationForm(forms.Form):
    nik = _digits(_("NIK (16 angka)"))
    kk_number = _digits(_("Nomor Kartu Keluarga (16 angka)"))
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DateInput())


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Kode"), max_length=20, help_text=_(
        "Kode 6 angka dari SMS, atau kode aktivasi yang dicetak kantor kelurahan (mis. ABCDE-FGH23)."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}))


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("Kata sandi baru"), max_length=128, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Ulangi kata sandi"), max_length=128, strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


class LoginForm(forms.Form):
    nik = forms.CharField(label=_("NIK atau nama pengguna"), max_length=150, widget=forms.TextInput(attrs={
        "autocomplete": "username", "autocapitalize": "none"}))
    password = forms.CharField(label=_("Kata sandi"), max_length=128, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ApplyForm(forms.Form):
    resident = forms.TypedChoiceField(label=_("Siapa yang ikut?"), required=False, coerce=int, empty_value=None,
                                      widget=forms.RadioSelect)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [(c["pk"], f'{c["name"]} ({c["relation"]}, {c["age"]} th)')
                                           for c in choices if not c["taken"]]


class OfficeCodeForm(forms.Form):
    nik = _digits(_("NIK warga (16 angka)"))
