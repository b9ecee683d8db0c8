"""Forms of the grievance pages. They shape input for the services; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, Role, User
from bansos.core.models import RW
from bansos.grievances.models import STAFF_CHANNELS, Category, Channel, State, Track
from bansos.programs.models import Program, ProgramStatus
from bansos.registry.models import Household

MSG_KK = _("Nomor KK tidak ditemukan di registri.")


def _programs():
    return Program.objects.exclude(status=ProgramStatus.DRAFT).select_related("agency").order_by("name")


class ProgramChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.agency.name})"


class FileForm(forms.Form):
    """The portal form: a signed-in resident (no name or phone needed), or anyone, or anonymously for fraud."""

    category = forms.ChoiceField(label=_("Kategori"), choices=[("", _("Pilih kategori"))] + Category.choices)
    subject = forms.CharField(label=_("Judul singkat"), max_length=150)
    description = forms.CharField(label=_("Uraian"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("Ceritakan apa yang terjadi, kapan dan di mana. Jangan tulis NIK."))
    program = ProgramChoice(label=_("Program terkait (jika ada)"), queryset=Program.objects.none(), required=False,
                            empty_label=_("Tidak ada / tidak tahu"))
    rw = forms.ModelChoiceField(label=_("RW tempat kejadian (jika ada)"), queryset=RW.objects.order_by("number"),
                                required=False, empty_label=_("Tidak tahu"))
    anonymous = forms.BooleanField(label=_("Laporkan tanpa nama (hanya untuk penipuan atau penyalahgunaan)"),
                                   required=False,
                                   help_text=_("Nama dan nomor HP tidak disimpan; simpan kode lacak untuk mengikuti "
                                               "laporan Anda. Anda tidak akan dikirimi pemberitahuan."))
    name = forms.CharField(label=_("Nama Anda"), max_length=120, required=False)
    phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False,
                            help_text=_("Untuk kabar perkembangan lewat SMS dan untuk menanggapi penyelesaian."),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    # A honeypot for the bots that fill every field; people never see it (hidden by the app's stylesheet).
    website = forms.CharField(required=False, label=_("Jangan diisi"))

    def __init__(self, *args, resident: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = _programs()
        if resident:
            del self.fields["name"], self.fields["phone"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("website", None)
        data["program"] = data["program"].pk if data.get("program") else None
        data["rw"] = data["rw"].pk if data.get("rw") else None
        return data


class RecordForm(FileForm):
    """Staff entry for the office, phone and RT/RW channels."""

    channel = forms.ChoiceField(label=_("Saluran"), choices=[(c.value, c.label) for c in STAFF_CHANNELS])
    complainant_kk = forms.CharField(label=_("Nomor KK pelapor (jika warga terdaftar)"), max_length=16, required=False)
    household_kk = forms.CharField(label=_("Nomor KK keluarga yang diadukan (jika ada)"), max_length=16,
                                   required=False)

    field_order = ["channel", "category", "subject", "description", "name", "phone", "complainant_kk", "program",
                   "household_kk", "rw", "anonymous"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]

    def _household(self, name: str):
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        household = Household.objects.filter(kk_number=value).order_by("-pk").first()
        if household is None:
            raise forms.ValidationError(MSG_KK)
        return household

    def clean_complainant_kk(self):
        return self._household("complainant_kk")

    def clean_household_kk(self):
        return self._household("household_kk")

    def service_data(self) -> dict:
        data = super().service_data()
        data["complainant_household"] = data.pop("complainant_kk", None)
        data["household"] = data.pop("household_kk", None)
        return data


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), required=False,
                              choices=[("", _("Semua")), ("open", _("Masih terbuka"))] + State.choices)
    category = forms.ChoiceField(label=_("Kategori"), required=False, choices=[("", _("Semua"))] + Category.choices)
    agency = forms.ModelChoiceField(label=_("Lembaga"), required=False, queryset=Agency.objects.order_by("name"),
                                    empty_label=_("Semua"))
    overdue = forms.BooleanField(label=_("Hanya yang lewat batas waktu"), required=False)
    q = forms.CharField(label=_("Kode atau judul"), required=False, max_length=60)


class MessageForm(forms.Form):
    message = forms.CharField(label=_("Pesan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Jawaban penyelesaian (dibaca pelapor)"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 4}))


class AssignForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Lembaga"), required=False,
                                    queryset=Agency.objects.filter(is_active=True).order_by("name"),
                                    empty_label=_("Tidak diubah"))
    assignee = forms.ModelChoiceField(label=_("Petugas"), required=False, queryset=User.objects.none(),
                                      empty_label=_("Belum ada"))
    note = forms.CharField(label=_("Catatan penugasan (internal)"), max_length=2000, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, role__in=[Role.OFFICER, Role.ADMIN]).select_related("agency")
        if user is not None and user.role == Role.OFFICER:
            staff = staff.filter(agency_id=user.agency_id)
            self.fields["agency"].queryset = Agency.objects.filter(pk=user.agency_id)
        self.fields["assignee"].queryset = staff.order_by("agency__name", "username")
        self.fields["assignee"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.agency.name if u.agency_id else _('Admin kelurahan')})")


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Alasan (dibaca pelapor)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    duplicate_code = forms.CharField(label=_("Kode pengaduan asli (jika duplikat)"), max_length=20, required=False)


class ReclassifyForm(forms.Form):
    track = forms.ChoiceField(label=_("Jenis penanganan"), choices=Track.choices)
    reason = forms.CharField(label=_("Alasan"), max_length=2000)


class TrackForm(forms.Form):
    kode = forms.CharField(label=_("Kode lacak"), max_length=20,
                           widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}))


class AnswerForm(forms.Form):
    """Accept or appeal from the public status page: the phone given when filing proves it is the complainant."""

    phone = forms.CharField(label=_("Nomor HP yang Anda berikan saat melapor"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    reason = forms.CharField(label=_("Alasan banding"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


CHANNEL_LABELS = dict(Channel.choices)
