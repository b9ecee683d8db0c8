"""Forms of the survey pages: they only turn text into typed values; rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.core.models import RW
from bansos.surveys.mapping import target_choices
from bansos.surveys.models import (
    ConditionOp, FormStatus, Question, QuestionKind, RoundKind, Section, Subject, SurveyForm,
)

_DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class FormCreateForm(forms.Form):
    title = forms.CharField(label=_("Judul formulir"), max_length=200)
    description = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(label=_("Versi"), min_value=1, initial=1)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas XLSForm (.xlsx)"))


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Judul bagian baru"), max_length=200)


class QuestionForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Bagian"), queryset=Section.objects.none(), empty_label=None)
    code = forms.CharField(label=_("Kode"), max_length=64, help_text=_("Huruf, angka, garis bawah; misalnya jenis_lantai."))
    label = forms.CharField(label=_("Pertanyaan"), max_length=500)
    kind = forms.ChoiceField(label=_("Jenis jawaban"), choices=QuestionKind.choices)
    subject = forms.ChoiceField(label=_("Ditanyakan kepada"), choices=Subject.choices)
    required = forms.BooleanField(label=_("Wajib dijawab"), required=False)
    hint = forms.CharField(label=_("Petunjuk"), max_length=500, required=False)
    maps_to = forms.ChoiceField(label=_("Perbarui kolom registri"), required=False)
    is_need_indicator = forms.BooleanField(label=_("Indikator kebutuhan (tampil di halaman kebutuhan RW)"),
                                           required=False)
    show_when_question = forms.ModelChoiceField(label=_("Tampilkan hanya bila pertanyaan"), required=False,
                                                queryset=Question.objects.none())
    show_when_op = forms.ChoiceField(label=_("Syarat"), required=False,
                                     choices=[("", "—"), *ConditionOp.choices])
    show_when_value = forms.CharField(label=_("Nilai"), required=False, max_length=200,
                                      help_text=_("Kode pilihan; untuk 'salah satu dari' pisahkan dengan koma. "
                                                  "Ya/Tidak: yes atau no."))

    def __init__(self, *args, survey_form: SurveyForm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(form=survey_form).order_by("order", "id")
        self.fields["show_when_question"].queryset = Question.objects.filter(form=survey_form).order_by(
            "section__order", "order", "id")
        self.fields["show_when_question"].label_from_instance = lambda q: f"{q.code}: {q.label}"
        self.fields["maps_to"].choices = [("", _("— tidak dipetakan —")), *target_choices()]


class ChoiceForm(forms.Form):
    value = forms.CharField(label=_("Nilai (kode)"), max_length=64)
    label = forms.CharField(label=_("Label"), max_length=200)


class FormStatusForm(forms.Form):
    status = forms.ChoiceField(choices=FormStatus.choices)


class RoundForm(forms.Form):
    form = forms.ModelChoiceField(label=_("Formulir"), queryset=SurveyForm.objects.none(),
                                  empty_label=_("— pilih formulir terbit —"))
    name = forms.CharField(label=_("Nama putaran"), max_length=120, help_text=_("Misalnya Baseline 2026."))
    kind = forms.ChoiceField(label=_("Jenis"), choices=RoundKind.choices)
    follow_up_number = forms.IntegerField(label=_("Tindak lanjut ke-"), min_value=1, required=False)
    period_start = forms.DateField(label=_("Mulai"), widget=_DATE)
    period_end = forms.DateField(label=_("Selesai"), widget=_DATE)
    target_rws = forms.ModelMultipleChoiceField(label=_("RW sasaran"), queryset=RW.objects.order_by("number"),
                                                required=False, widget=forms.CheckboxSelectMultiple,
                                                help_text=_("Kosongkan untuk seluruh kelurahan."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = SurveyForm.objects.filter(status=FormStatus.PUBLISHED).order_by("title")


def apply_errors(error, form: forms.Form) -> None:
    from bansos.core.errors import ValidationFailed

    if isinstance(error, ValidationFailed):
        for key, messages in error.errors.items():
            field = key if key in form.fields else None
            for message in messages:
                form.add_error(field, message)
        return
    form.add_error(error.field if error.field in form.fields else None, error.text)
