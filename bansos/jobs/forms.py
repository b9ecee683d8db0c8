"""Forms of the jobs pages. They check types only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, AgencyKind
from bansos.jobs.models import ReferralStatus
from bansos.training.models import SkillArea


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VacancyForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Perusahaan"), queryset=Agency.objects.none(), required=False,
                                     empty_label=_("Pilih perusahaan"))
    position = forms.CharField(label=_("Posisi"), max_length=150)
    skill_areas = forms.MultipleChoiceField(label=_("Keterampilan yang dibutuhkan"), choices=SkillArea.choices,
                                            widget=forms.CheckboxSelectMultiple)
    openings = forms.IntegerField(label=_("Jumlah lowongan (orang)"), min_value=1)
    wage_min = forms.IntegerField(label=_("Upah minimum per bulan (Rp)"), min_value=1,
                                  help_text=_("Bilangan bulat Rupiah, mis. 5396761 (UMP Jakarta 2026)."))
    wage_max = forms.IntegerField(label=_("Upah maksimum per bulan (Rp)"), min_value=1)
    min_age = forms.IntegerField(label=_("Usia minimum"), min_value=15, max_value=65, initial=18)
    max_age = forms.IntegerField(label=_("Usia maksimum"), min_value=15, max_value=65, initial=55)
    women_only = forms.BooleanField(label=_("Khusus perempuan"), required=False)
    closing_date = forms.DateField(label=_("Batas lamaran"), widget=DateInput())
    location = forms.CharField(label=_("Lokasi kerja"), max_length=150, required=False)
    description = forms.CharField(label=_("Keterangan pekerjaan"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, choose_company: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_company:
            field = self.fields["company"]
            field.queryset = Agency.objects.filter(kind=AgencyKind.BUSINESS, is_active=True).order_by("name")
            field.required = True
        else:
            del self.fields["company"]


class VacancyCloseForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penutupan"), max_length=500,
                             error_messages={"required": _("Tuliskan alasan penutupan lowongan.")})


class ReferForm(forms.Form):
    note = forms.CharField(label=_("Catatan untuk perusahaan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(label=_("Hasil"), choices=())
    wage = forms.IntegerField(label=_("Upah per bulan (Rp)"), required=False, min_value=1,
                              help_text=_("Wajib bila diterima bekerja."))
    start_date = forms.DateField(label=_("Mulai bekerja"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(allowed)


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua status")), *ReferralStatus.choices])
