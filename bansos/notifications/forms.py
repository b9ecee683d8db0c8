"""Forms of the notifications pages: thin; the services check the rules and the scope."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.core.models import RW
from bansos.notifications.access import can_choose_sms
from bansos.notifications.models import AnnouncementStatus, Channel, MessageStatus, TargetKind
from bansos.notifications.targets import GROUP_CHOICES

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class _RWChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=150)
    body = forms.CharField(label=_("Isi pengumuman"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    publish_at = forms.DateTimeField(
        label=_("Waktu terbit"), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Pesan baru terlihat oleh warga mulai waktu ini (WIB)."),
    )
    target_kind = forms.ChoiceField(label=_("Sasaran"), choices=TargetKind.choices)
    rw = _RWChoice(label="RW", queryset=RW.objects.order_by("number"), required=False, empty_label=_("Pilih RW"),
                   help_text=_("Wajib untuk sasaran satu RW; untuk kelompok sasaran atau peserta program, batasi ke "
                               "satu RW atau kosongkan untuk seluruh kelurahan."))
    group = forms.ChoiceField(label=_("Kelompok sasaran"), choices=[("", _("Pilih kelompok"))] + GROUP_CHOICES,
                              required=False)
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=None, required=False, empty_label=_("Tidak terkait program"),
        help_text=_("Wajib untuk sasaran peserta program; untuk sasaran lain, program yang diumumkan (jangkauan "
                    "informasinya dihitung per program)."),
    )
    send_sms = forms.BooleanField(label=_("Kirim juga SMS ke keluarga yang punya nomor HP"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from bansos.programs.models import Program, ProgramStatus

        programs = Program.objects.exclude(status=ProgramStatus.DRAFT).select_related("agency").order_by("name")
        if user.role == Role.OFFICER:
            programs = programs.filter(agency_id=user.agency_id)
            self.fields["target_kind"].choices = [(TargetKind.PROGRAM, TargetKind.PROGRAM.label)]
            del self.fields["group"]
            self.fields["rw"].help_text = _("Kosongkan untuk semua peserta program; atau batasi ke satu RW.")
        elif user.role == Role.SURVEYOR:
            self.fields["target_kind"].choices = [(k, v) for k, v in TargetKind.choices
                                                  if k != TargetKind.KELURAHAN]
            self.fields["rw"].queryset = RW.objects.filter(pk=user.rw_id)
            self.fields["rw"].empty_label = None
            self.fields["rw"].help_text = ""
        self.fields["program"].queryset = programs
        if not can_choose_sms(user):
            del self.fields["send_sms"]
        if not self.is_bound and "publish_at" not in self.initial:
            self.initial["publish_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("rw", None)
        data.setdefault("group", "")
        return data

    @staticmethod
    def initial_for(announcement) -> dict:
        return {"title": announcement.title, "body": announcement.body,
                "publish_at": timezone.localtime(announcement.publish_at), "target_kind": announcement.target_kind,
                "rw": announcement.rw_id, "group": announcement.group, "program": announcement.program_id,
                "send_sms": announcement.send_sms}


class AnnouncementFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua status"))] + AnnouncementStatus.choices)
    target_kind = forms.ChoiceField(label=_("Sasaran"), required=False,
                                    choices=[("", _("Semua sasaran"))] + TargetKind.choices)


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua status"))] + MessageStatus.choices)
    channel = forms.ChoiceField(label=_("Saluran"), required=False, choices=[("", _("Semua saluran"))] + Channel.choices)
    topic = forms.CharField(label=_("Topik"), required=False, max_length=60)
