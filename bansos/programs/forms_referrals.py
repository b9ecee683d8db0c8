"""Forms of the referral pages: send a family to another program, and answer a referral."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.programs.models import Participant, Program, ReferralStatus
from bansos.registry.models import Resident

MSG_DECLINE_REASON = _("Tuliskan alasan penolakan rujukan.")
MSG_PICK_PROGRAM = _("Pilih program tujuan yang sedang menerima peserta.")
MSG_PICK_ORIGIN = _("Pilih program asal: program lembaga Anda yang diikuti keluarga ini.")


def program_choice_label(program: Program) -> str:
    who = _("perorangan") if program.participant == Participant.RESIDENT else _("keluarga")
    return f"{program.name} — {program.agency} · {program.get_kind_display()} ({who})"


class _ProgramChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return program_choice_label(obj)


class _OriginChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.agency}"


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.get_relation_display()})"


class ReferralSendForm(forms.Form):
    from_program = _OriginChoice(label=_("Dari program"), queryset=Program.objects.none(),
                                 error_messages={"required": MSG_PICK_ORIGIN, "invalid_choice": MSG_PICK_ORIGIN})
    to_program = _ProgramChoice(label=_("Ke program"), queryset=Program.objects.none(),
                                empty_label=_("Pilih program tujuan"),
                                error_messages={"required": MSG_PICK_PROGRAM, "invalid_choice": MSG_PICK_PROGRAM})
    resident = _MemberChoice(label=_("Peserta"), queryset=Resident.objects.none(), required=False,
                             empty_label=_("Seluruh keluarga"),
                             help_text=_("Wajib dipilih bila program tujuan untuk perorangan."))
    note = forms.CharField(label=_("Alasan rujukan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Mengapa keluarga ini cocok untuk program tujuan; dibaca lembaga penerima."))

    def __init__(self, *args, origins, targets, members, origin_optional: bool, **kwargs):
        super().__init__(*args, **kwargs)
        origin = self.fields["from_program"]
        origin.queryset = origins
        origin.required = not origin_optional
        origin.empty_label = _("Tanpa program asal (rujukan kelurahan)") if origin_optional else _("Pilih program asal")
        self.fields["to_program"].queryset = targets
        self.fields["resident"].queryset = members

    def clean(self):
        data = super().clean()
        target = data.get("to_program")
        # A household program takes the whole family: a member chosen by habit is simply not sent.
        if target is not None and target.participant == Participant.HOUSEHOLD:
            data["resident"] = None
        return data


class ReferralAcceptForm(forms.Form):
    response = forms.CharField(label=_("Tanggapan (boleh kosong)"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))


class ReferralDeclineForm(forms.Form):
    response = forms.CharField(label=_("Alasan penolakan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                               error_messages={"required": MSG_DECLINE_REASON})

    def clean_response(self):
        value = self.cleaned_data["response"].strip()
        if not value:
            raise forms.ValidationError(MSG_DECLINE_REASON)
        return value


class ReferralEnrollForm(forms.Form):
    resident = _MemberChoice(label=_("Peserta"), queryset=Resident.objects.none(), required=False,
                             empty_label=_("Pilih anggota keluarga"))
    note = forms.CharField(label=_("Catatan (boleh kosong)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members, person_program: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if person_program:
            field = self.fields["resident"]
            field.queryset = members
            field.required = True
            field.error_messages["required"] = _("Pilih anggota keluarga yang menjadi peserta.")
        else:
            del self.fields["resident"]


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua"))] + list(ReferralStatus.choices))
