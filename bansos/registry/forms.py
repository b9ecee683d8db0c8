"""Forms of the registry pages.

Forms only turn text into typed values (dates, integers, model choices); the rules live in
``registry.validation`` and the services, whose ``ValidationFailed`` errors are put back next to
the right field with :func:`bansos.core.forms.form_attempt`.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.core.forms import apply_domain_error
from bansos.core.widgets import FastSelect
from bansos.core.models import RT, RW
from bansos.registry.models import (
    DSR_TRANSITIONS, HOUSEHOLD_TRANSITIONS, DsrKind, DsrStatus, Household, HouseholdStatus, Relation, Resident,
    ResidentStatus,
)
from bansos.registry.selectors import HouseholdFilters
from bansos.registry.validation import HOUSEHOLD_FIELDS, RESIDENT_FIELDS

MSG_REASON_REQUIRED = _("Tuliskan alasan perubahan.")
MSG_MONEY = _("Tulis jumlah Rupiah dengan angka saja, misalnya 2500000 atau 2.500.000.")

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
_MONEY_FIELDS = {"monthly_income", "monthly_expenditure"}


class RupiahField(forms.IntegerField):
    """A whole number of Rupiah; accepts ``2.500.000`` and ``Rp 2.500.000`` as people type them."""

    default_error_messages = {"invalid": MSG_MONEY}

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"(?i)^\s*rp\.?\s*", "", value).replace(".", "").replace(" ", "")
            if "," in value:
                # Rupiah has no cents; "2.500.000,00" is still two and a half million.
                whole, _sep, cents = value.partition(",")
                if cents.strip("0"):
                    raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
                value = whole
        return super().to_python(value)


def _date_field(field: forms.Field) -> forms.DateField:
    return forms.DateField(
        label=field.label, required=field.required, input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


def _model_fields(model, names, *, money=_MONEY_FIELDS) -> dict[str, forms.Field]:
    """Form fields with the model's labels and choices, typed for people typing on a phone."""
    fields = fields_for_model(model, fields=list(names))
    for name, field in list(fields.items()):
        if isinstance(field, forms.DateField):
            fields[name] = _date_field(field)
        elif name in money:
            fields[name] = RupiahField(label=field.label, required=False, min_value=0,
                                       widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    return fields


def _reason_field(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Alasan perubahan"), required=required, max_length=500,
        error_messages={"required": MSG_REASON_REQUIRED},
        help_text=_("Disimpan di riwayat keluarga, misalnya: salah ketik saat pendataan, sesuai KK terbaru."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def rt_choices_for(user):
    """The RTs this user may place a household in: all for the admin, the own RW/RT for a surveyor."""
    qs = RT.objects.select_related("rw").order_by("rw__number", "number")
    if user.role == Role.ADMIN:
        return qs
    if user.role == Role.SURVEYOR:
        return qs.filter(pk=user.rt_id) if user.rt_id else qs.filter(rw_id=user.rw_id)
    return qs.none()


class RTChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: RT) -> str:
        return f"RT {obj.number:03d} / RW {obj.rw.number:03d}"


def apply_errors(error, form: forms.Form, member_forms=None, aliases=None) -> None:
    """Put a service's errors on the form; see :func:`bansos.core.forms.apply_domain_error`."""
    apply_domain_error(form, error, member_forms=member_forms, aliases=aliases)


# --- Search ---------------------------------------------------------------------------------


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("NIK, nomor KK, nama, atau RT/RW (3/5)")}),
    )
    rw = forms.TypedChoiceField(label="RW", required=False, coerce=int, empty_value=None, widget=FastSelect)
    rt = RTChoiceField(label="RT", required=False, queryset=RT.objects.none(), empty_label=_("Semua RT"))
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Semua status")), *HouseholdStatus.choices],
    )
    female_head = forms.BooleanField(label=_("Perempuan kepala keluarga"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        rts = rt_choices_for(user) if user.role in (Role.ADMIN, Role.SURVEYOR) else RT.objects.none()
        # RTs of the chosen RW only (a surveyor's own RW anyway): the list of every RT of the
        # kelurahan was long to scroll on a phone and most of the page's rendering time.
        chosen_rw = self.data.get("rw") if self.is_bound else None
        if chosen_rw and str(chosen_rw).isdigit():
            rts = rts.filter(rw__number=int(chosen_rw))
        elif user.role == Role.ADMIN:
            rts = rts.none()
            self.fields["rt"].empty_label = _("Pilih RW dahulu")
        self.fields["rt"].queryset = rts
        rws = RW.objects.order_by("number")
        if user.role == Role.SURVEYOR:
            rws = rws.filter(pk=user.rw_id)
        elif user.role != Role.ADMIN:
            rws = rws.none()
        self.fields["rw"].choices = [("", _("Semua RW"))] + [(rw.number, f"RW {rw.number:03d}") for rw in rws]

    def filters(self) -> HouseholdFilters:
        """The selector's filters; a bad value (an RT outside the scope) narrows to nothing rather than widening."""
        if not self.is_valid() and set(self.errors) != {"rt"}:
            return HouseholdFilters(q=self.data.get("q", ""), rt=-1)
        # An RT left over from another RW (the RW was just changed) is dropped, not an error.
        data = self.cleaned_data
        rt = data.get("rt")
        return HouseholdFilters(
            q=data.get("q", ""), rw=data.get("rw"), rt=rt.pk if rt else None,
            status=data.get("status", ""), female_head=bool(data.get("female_head")),
        )


# --- Households and residents -----------------------------------------------------------------


class HouseholdForm(forms.Form):
    """The household's own fields (create and edit)."""

    def __init__(self, *args, user, with_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = _model_fields(Household, HOUSEHOLD_FIELDS)
        # Typed with spaces or dots, the number is longer than 16; the service cleans it.
        fields["kk_number"] = forms.CharField(
            label=fields["kk_number"].label, max_length=30,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
        fields["rt"] = RTChoiceField(label="RT/RW", queryset=rt_choices_for(user), empty_label=_("Pilih RT"))
        fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields.update(fields)
        if with_reason:
            self.fields["reason"] = _reason_field()

    def household_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in HOUSEHOLD_FIELDS}

    @property
    def asset_fields(self):
        return [self[name] for name in HOUSEHOLD_FIELDS if name.startswith("asset_")]

    def group(self, names):
        return [self[name] for name in names if name in self.fields]

    @property
    def identity_fields(self):
        return self.group(("kk_number", "rt", "address", "phone", "legal_basis", "consent_date"))

    @property
    def housing_fields(self):
        return self.group((
            "floor_area_m2", "floor_material", "wall_material", "roof_material", "water_source", "toilet",
            "lighting", "electricity_va", "cooking_fuel", "house_ownership", "land_ownership",
        ))

    @property
    def economy_fields(self):
        return self.group(("monthly_income", "monthly_expenditure", "dtsen_decile"))


class ResidentForm(forms.Form):
    """One person's data (a member row on the create page, add member, edit resident)."""

    def __init__(self, *args, with_reason: bool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = _model_fields(Resident, RESIDENT_FIELDS, money={"monthly_income"})
        fields["nik"] = forms.CharField(
            label="NIK", max_length=30,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
        self.fields.update(fields)
        if with_reason is not None:
            self.fields["reason"] = _reason_field(required=with_reason)
            if not with_reason:
                self.fields["reason"].label = _("Keterangan (boleh kosong)")
                self.fields["reason"].help_text = _("Misalnya: kelahiran, pindah datang, perkawinan.")

    def resident_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in RESIDENT_FIELDS}


MemberFormSet = formset_factory(ResidentForm, extra=2, min_num=1, validate_min=True, max_num=30)


class MoveResidentForm(forms.Form):
    kk_number = forms.CharField(
        label=_("Nomor KK tujuan"), max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    relation = forms.ChoiceField(label=_("Hubungan dalam keluarga tujuan"), choices=Relation.choices)
    reason = _reason_field()


class ResidentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status baru"),
        choices=[(ResidentStatus.MOVED_OUT.value, ResidentStatus.MOVED_OUT.label),
                 (ResidentStatus.DECEASED.value, ResidentStatus.DECEASED.label)],
        widget=forms.RadioSelect,
    )
    reason = _reason_field()


class ChangeHeadForm(forms.Form):
    new_head = forms.ModelChoiceField(label=_("Kepala keluarga baru"), queryset=Resident.objects.none(),
                                      empty_label=_("Pilih anggota"))
    old_head_relation = forms.ChoiceField(
        label=_("Hubungan kepala keluarga lama"),
        choices=[c for c in Relation.choices if c[0] != Relation.HEAD],
    )
    reason = _reason_field()

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = [r.pk for r in household.active_members if r.relation != Relation.HEAD]
        self.fields["new_head"].queryset = Resident.objects.filter(pk__in=candidates).order_by("birth_date")


class HouseholdStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), widget=forms.RadioSelect)
    reason = _reason_field()

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = HOUSEHOLD_TRANSITIONS[HouseholdStatus(household.status)]
        self.fields["status"].choices = [(s.value, s.label) for s in HouseholdStatus if s in allowed]


# --- Data-subject requests ------------------------------------------------------------------------


class DsrCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis permintaan"), choices=DsrKind.choices)
    requester_name = forms.CharField(label=_("Nama pemohon"), max_length=120, required=False)
    resident = forms.ModelChoiceField(
        label=_("Tentang anggota keluarga"), required=False, queryset=Resident.objects.none(),
        empty_label=_("Seluruh keluarga"),
    )
    description = forms.CharField(label=_("Uraian permintaan"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = Resident.objects.filter(
            pk__in=[r.pk for r in household.residents.all()]
        ).order_by("birth_date")


class DsrStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), widget=forms.RadioSelect)
    resolution = forms.CharField(
        label=_("Penyelesaian atau alasan penolakan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila permintaan selesai atau ditolak."),
    )

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = DSR_TRANSITIONS[DsrStatus(request_obj.status)]
        self.fields["status"].choices = [(s.value, s.label) for s in DsrStatus if s in allowed]


class DsrFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua status")), *DsrStatus.choices])
    overdue = forms.BooleanField(label=_("Hanya yang lewat batas waktu"), required=False)
