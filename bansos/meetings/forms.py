"""Input forms of the meeting pages. They only parse input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.core.models import RW
from bansos.meetings.models import MeetingStatus, NeedCategory, NeedStatus

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _rw_queryset(user):
    if user.role == Role.SURVEYOR:
        return RW.objects.filter(pk=user.rw_id)
    return RW.objects.order_by("number")


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=_DATE)
    rw = forms.ModelChoiceField(queryset=RW.objects.none(), required=False, label="RW",
                                empty_label=_("Tingkat kelurahan (semua RW)"))
    title = forms.CharField(label=_("Judul"), max_length=200)
    place = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    held = forms.BooleanField(label=_("Musyawarah sudah terlaksana"), required=False)
    minutes = forms.CharField(label=_("Notulen"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    decisions = forms.CharField(
        label=_("Keputusan"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu keputusan per baris."),
    )

    def __init__(self, *args, user, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rw"].queryset = _rw_queryset(user)
        if user.role == Role.SURVEYOR:
            # Surveyors manage their own RW only: no kelurahan-wide choice.
            self.fields["rw"].required = True
            self.fields["rw"].empty_label = None
        if creating:
            del self.fields["minutes"]
            del self.fields["decisions"]
        else:
            del self.fields["held"]

    def meeting_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "held"}
        if "decisions" in data:
            data["decisions"] = data["decisions"].splitlines()
        return data


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=MeetingStatus.choices)
    reason = forms.CharField(label=_("Keterangan"), required=False, max_length=500)


class OthersForm(forms.Form):
    others_count = forms.IntegerField(label=_("Peserta lain (tidak terdaftar)"), min_value=0)
    others_women = forms.IntegerField(label=_("di antaranya perempuan"), min_value=0, required=False,
                                      help_text=_("Kosongkan bila tidak dihitung."))
    others_youth = forms.IntegerField(label=_("di antaranya pemuda (16-30)"), min_value=0, required=False,
                                      help_text=_("Kosongkan bila tidak dihitung."))


class NeedForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=[("", "---------"), *NeedCategory.choices])
    description = forms.CharField(label=_("Uraian kebutuhan"), widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=2000)
    rw = forms.ModelChoiceField(queryset=RW.objects.order_by("number"), required=False, label="RW",
                                empty_label=_("Seluruh kelurahan"))
    hand_votes = forms.IntegerField(label=_("Suara angkat tangan"), min_value=0, initial=0,
                                    help_text=_("Jumlah suara dari angkat tangan di musyawarah."))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting.rw_id is not None:
            del self.fields["rw"]


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=NeedStatus.choices)
    reason = forms.CharField(label=_("Alasan"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Wajib bila kebutuhan ditolak."))
