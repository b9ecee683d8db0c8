"""Forms of the training pages: they turn text into typed values; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, AgencyKind
from bansos.programs.models import Program, ProgramStatus
from bansos.training.models import CourseStatus, SkillArea
from bansos.training.services.courses import COURSE_FIELDS, TRAINING_KINDS


def _programs_for(user):
    qs = Program.objects.filter(kind__in=TRAINING_KINDS).exclude(status=ProgramStatus.CLOSED).select_related("agency")
    if user.role != "admin":
        qs = qs.filter(agency_id=user.agency_id)
    return qs.order_by("name")


class CourseForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none(),
                                     empty_label=_("Pilih program pelatihan"))
    title = forms.CharField(label=_("Judul pelatihan"), max_length=150)
    skill_area = forms.ChoiceField(label=_("Bidang keterampilan"),
                                   choices=[("", _("Pilih bidang"))] + SkillArea.choices)
    description = forms.CharField(label=_("Keterangan"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    partner = forms.ModelChoiceField(label=_("Perusahaan mitra (jika ada)"), required=False,
                                     queryset=Agency.objects.none(), empty_label=_("Tanpa perusahaan mitra"),
                                     help_text=_("Petugas perusahaan mitra dapat melihat pelatihan dan mencatat "
                                                 "absensi."))
    women_only = forms.BooleanField(label=_("Khusus perempuan"), required=False)
    youth_only = forms.BooleanField(label=_("Khusus pemuda (16–30 tahun pada pertemuan pertama)"), required=False)
    capacity = forms.IntegerField(label=_("Kapasitas peserta"), min_value=1, max_value=10_000)
    min_attendance_pct = forms.IntegerField(label=_("Kehadiran minimum untuk lulus (%)"), min_value=0,
                                            max_value=100, initial=75)
    pass_score = forms.IntegerField(label=_("Nilai asesmen minimum (0–100)"), min_value=0, max_value=100,
                                    required=False, help_text=_("Kosongkan bila kelulusan hanya dari kehadiran."))

    def __init__(self, *args, user, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Agency.objects.filter(kind=AgencyKind.BUSINESS, is_active=True)
        if course is not None:
            del self.fields["program"]
            if course.partner_id:
                self.fields["partner"].queryset = Agency.objects.filter(kind=AgencyKind.BUSINESS).filter(
                    is_active=True) | Agency.objects.filter(pk=course.partner_id)
        else:
            self.fields["program"].queryset = _programs_for(user)

    @staticmethod
    def initial_for(course) -> dict:
        return {name: getattr(course, name) for name in COURSE_FIELDS}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "program"}


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Jam mulai"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Tempat"), max_length=150)
    trainer = forms.CharField(label=_("Pelatih"), max_length=120)
    topic = forms.CharField(label=_("Materi"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=_("Nilai asesmen"), min_value=0, max_value=100, required=False)


class FeedbackForm(forms.Form):
    participant = forms.ChoiceField(label=_("Peserta"))
    session = forms.ChoiceField(label=_("Pertemuan"), required=False)
    rating = forms.TypedChoiceField(label=_("Nilai"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(i, str(i)) for i in range(1, 6)])
    comment = forms.CharField(label=_("Komentar"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, participants, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = [("", _("Pilih peserta"))] + [
            (str(p.pk), p.resident.full_name) for p in participants]
        self.fields["session"].choices = [("", _("Pelatihan secara keseluruhan"))] + [
            (str(s.pk), f"#{s.number} · {s.date:%d-%m-%Y} · {s.trainer}") for s in sessions]


class CourseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua"))] + CourseStatus.choices)
    skill_area = forms.ChoiceField(label=_("Bidang"), required=False, choices=[("", _("Semua"))] + SkillArea.choices)


class VerifyForm(forms.Form):
    kode = forms.CharField(label=_("Kode sertifikat"), max_length=40,
                           widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false",
                                                         "autocomplete": "off", "placeholder": "ABCD-EFGH-JKLM"}))
