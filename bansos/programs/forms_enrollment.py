"""Forms of the enrollment pages: filters, the exact look-up, applying, transitions, nominations, bulk."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansos.programs.models import REASON_REQUIRED, EnrollmentState, Participant
from bansos.programs.services.enrollment import MSG_NOTE_REQUIRED
from bansos.registry.identifiers import clean_digits

MSG_LOOKUP_FORMAT = _("Ketik nomor KK atau NIK lengkap: 16 angka.")
MSG_CHOOSE_MEMBER = _("Pilih anggota keluarga yang menjadi peserta.")

# What the officer writes for each transition: a reason, a field-check note, or an optional note.
REASON_LABELS = {
    EnrollmentState.VERIFIED: _("Hasil pemeriksaan lapangan"),
    EnrollmentState.REJECTED: _("Alasan penolakan"),
    EnrollmentState.SUSPENDED: _("Alasan penangguhan"),
    EnrollmentState.EXITED: _("Alasan keluar"),
}
REASON_HELP = {
    EnrollmentState.VERIFIED: _("Misalnya: dikunjungi 3 Maret, kondisi rumah sesuai data."),
}
# Button texts: what the officer does, not the state's name.
ACTION_LABELS = {
    EnrollmentState.VERIFIED: _("Verifikasi"),
    EnrollmentState.APPROVED: _("Setujui"),
    EnrollmentState.REJECTED: _("Tolak"),
    EnrollmentState.ACTIVE: _("Mulai kepesertaan"),
    EnrollmentState.SUSPENDED: _("Tangguhkan"),
    EnrollmentState.GRADUATED: _("Luluskan (mandiri)"),
    EnrollmentState.EXITED: _("Keluarkan"),
}
RESUME_LABEL = _("Lanjutkan kepesertaan")


class EnrollmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari peserta"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Nama, NIK atau nomor KK"),
                                                      "autocomplete": "off"}))
    state = forms.ChoiceField(label=_("Status"), required=False,
                              choices=[("", _("Semua"))] + list(EnrollmentState.choices))


class LookupForm(forms.Form):
    q = forms.CharField(label=_("Nomor KK atau NIK"), max_length=40,
                        help_text=_("16 angka, persis seperti di kartu. Nama tidak dapat dicari di sini."),
                        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def clean_q(self) -> str:
        digits = clean_digits(self.cleaned_data["q"])
        if len(digits) != 16 or not digits.isdigit():
            raise forms.ValidationError(MSG_LOOKUP_FORMAT)
        return digits


def _member_label(resident) -> str:
    return f"{resident.full_name} · {resident.get_relation_display()}"


class ApplyForm(forms.Form):
    """Apply the looked-up household (or one of its members, for person programs)."""

    household = forms.IntegerField(widget=forms.HiddenInput)
    resident = forms.TypedChoiceField(label=_("Peserta"), coerce=int, required=False, widget=forms.RadioSelect,
                                      empty_value=None)
    note = forms.CharField(label=_("Catatan (tidak wajib)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, program, members=(), taken=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.person_program = program.participant == Participant.RESIDENT
        if self.person_program:
            self.fields["resident"].required = True
            self.fields["resident"].error_messages["required"] = MSG_CHOOSE_MEMBER
            self.fields["resident"].choices = [(m.pk, _member_label(m)) for m in members if m.pk not in taken]
        else:
            del self.fields["resident"]


class TransitionForm(forms.Form):
    """One transition: its reason or note, and for approval the warning checkbox.

    The target state comes from the pressed button (``name="to"``); each form has its own prefix
    so that the page's several forms keep distinct field ids.
    """

    reason = forms.CharField(label=_("Catatan (tidak wajib)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    acknowledge_warnings = forms.BooleanField(
        label=_("Saya sudah memeriksa dan tetap menyetujui"), required=False)

    def __init__(self, *args, target: str, **kwargs):
        kwargs.setdefault("prefix", f"t-{target}")
        super().__init__(*args, **kwargs)
        self.target = target
        reason = self.fields["reason"]
        if target in REASON_REQUIRED:
            reason.label = REASON_LABELS.get(target, _("Alasan"))
            reason.help_text = REASON_HELP.get(target, "")
            # The service decides; the asterisk tells the officer before they press the button.
            reason.widget.attrs["required"] = "required"
        if target != EnrollmentState.APPROVED:
            del self.fields["acknowledge_warnings"]
        self.warning = ""

    @property
    def reason_required(self) -> bool:
        return self.target in REASON_REQUIRED


class NominateForm(forms.Form):
    """An RT/RW officer's nomination of a household (or a member) of their area into an open program."""

    program = forms.TypedChoiceField(label=_("Program"), coerce=int, widget=forms.RadioSelect)
    resident = forms.TypedChoiceField(
        label=_("Peserta (untuk program perorangan)"), coerce=int, required=False, empty_value=None,
        help_text=_("Kosongkan untuk program keluarga."))
    note = forms.CharField(label=_("Alasan usulan"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Misalnya: suami meninggal bulan lalu, anak tiga masih sekolah."))

    def __init__(self, *args, programs=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [
            (row["program"].pk, row["program"].name) for row in programs if not row["household_taken"]
        ]
        self.fields["resident"].choices = [("", _("— keluarga —"))] + [(m.pk, _member_label(m)) for m in members]


class BulkRunForm(forms.Form):
    run = forms.TypedChoiceField(label=_("Hasil penilaian aturan"), coerce=int)

    def __init__(self, *args, runs=(), **kwargs):
        """``runs``: (id, label) pairs, newest first."""
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = list(runs)


class BulkVerifyForm(forms.Form):
    note = forms.CharField(label=_("Catatan pemeriksaan"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": MSG_NOTE_REQUIRED},
                           help_text=_("Dicatat pada setiap pendaftaran, misalnya: dicocokkan dengan registri "
                                       "dan musyawarah RW 5 tanggal 3 Maret."))


class BulkApproveForm(forms.Form):
    acknowledge_warnings = forms.BooleanField(
        label=_("Setujui juga keluarga yang mendapat peringatan tumpang tindih"), required=False,
        help_text=_("Tanpa centang, keluarga dengan peringatan dilewati dan dapat disetujui satu per satu."))
