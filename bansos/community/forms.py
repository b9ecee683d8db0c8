"""Forms of the community pages: parse input only; the services check the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, AgencyKind
from bansos.community.models import Audience, Masking, Relation
from bansos.core.models import RT, RW
from bansos.programs.models import Program, TargetGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _ProgramChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.agency.name})"


class _RTChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"RT {obj.number:02d} / RW {obj.rw.number:02d}"


class NominationForm(forms.Form):
    program = _ProgramChoice(label=_("Program"), queryset=Program.objects.none(), empty_label=_("Pilih program"))
    relation = forms.ChoiceField(label=_("Keluarga yang diusulkan"), choices=Relation.choices,
                                 widget=forms.RadioSelect, initial=Relation.NEIGHBOUR)
    kk_number = forms.CharField(label=_("Nomor KK"), required=False, max_length=20,
                                help_text=_("16 angka. Kosongkan bila mengusulkan keluarga sendiri atau bila "
                                            "mencari dengan alamat."),
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    rt = _RTChoice(label=_("RT"), required=False, empty_label=_("Pilih RT"),
                   queryset=RT.objects.select_related("rw").order_by("rw__number", "number"))
    address = forms.CharField(label=_("Alamat"), required=False, max_length=200,
                              help_text=_("Tulis persis seperti di KK, mis. Jl. Duri Raya No. 12."))
    reason = forms.CharField(label=_("Alasan mengusulkan"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programs is not None:
            self.fields["program"].queryset = programs


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("Alasan sanggah"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Tuliskan apa yang Anda ketahui. Nama Anda tidak akan diberitahukan "
                                         "kepada keluarga yang disanggah."))


class FieldCheckForm(forms.Form):
    field_date = forms.DateField(label=_("Tanggal cek lapangan"), widget=DATE)
    field_note = forms.CharField(label=_("Hasil cek lapangan"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"field_date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), widget=forms.RadioSelect, choices=(
        ("accept", _("Terima")), ("reject", _("Tolak"))))
    reason = forms.CharField(label=_("Alasan keputusan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NominationDecisionForm(DecisionForm):
    resident = forms.ModelChoiceField(label=_("Peserta (program perorangan)"), required=False, queryset=None,
                                      empty_label=_("Kepala keluarga"))

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        from bansos.registry.models import Resident

        qs = Resident.objects.filter(household=household, status="active") if household else Resident.objects.none()
        self.fields["resident"].queryset = qs.order_by("birth_date")


class FindingForm(forms.Form):
    suspend = forms.ChoiceField(label=_("Tindak lanjut"), widget=forms.RadioSelect, choices=(
        ("yes", _("Tangguhkan kepesertaan")), ("no", _("Pertahankan kepesertaan"))))
    note = forms.CharField(label=_("Catatan lembaga"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Judul kegiatan"), max_length=150)
    description = forms.CharField(label=_("Uraian"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("Apa kegiatannya, siapa yang terlibat, apa hasil yang diharapkan."))
    budget_estimate = forms.CharField(label=_("Perkiraan anggaran (Rp)"), max_length=20,
                                      widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                      help_text=_("Bilangan bulat Rupiah, mis. 2500000."))
    target_group = forms.ChoiceField(label=_("Kelompok sasaran"), choices=[("", "—"), *TargetGroup.choices])
    rw = forms.ModelChoiceField(label="RW", queryset=RW.objects.order_by("number"), empty_label=_("Pilih RW"))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Jawaban kelurahan (terbuka untuk umum)"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class _AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class ApproveForm(AnswerForm):
    agency = _AgencyChoice(label=_("Lembaga pelaksana"), empty_label=_("Pilih lembaga"), queryset=Agency.objects.filter(
        is_active=True, kind__in=(AgencyKind.COMMUNITY, AgencyKind.GOVERNMENT)).order_by("-kind", "name"))
    start_date = forms.DateField(label=_("Tanggal mulai"), widget=DATE)
    end_date = forms.DateField(label=_("Tanggal selesai"), widget=DATE)

    def __init__(self, *args, **kwargs):
        start = timezone.localdate().replace(day=1) + dt.timedelta(days=32)
        start = start.replace(day=1)
        kwargs.setdefault("initial", {"start_date": start, "end_date": start + dt.timedelta(days=180)})
        super().__init__(*args, **kwargs)


class ListingSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Tampilkan daftar penerima"), required=False)
    audience = forms.ChoiceField(label=_("Siapa yang dapat melihat"), choices=Audience.choices,
                                 widget=forms.RadioSelect)
    masking = forms.ChoiceField(label=_("Cara menyamarkan nama"), choices=Masking.choices, widget=forms.RadioSelect)
    programs = forms.ModelMultipleChoiceField(
        label=_("Program yang ditampilkan"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Program.objects.exclude(status="draft").select_related("agency").order_by("name"))
    agencies = forms.ModelMultipleChoiceField(
        label=_("Lembaga yang mengizinkan penerimanya ditampilkan"), required=False,
        widget=forms.CheckboxSelectMultiple, queryset=Agency.objects.order_by("name"))
