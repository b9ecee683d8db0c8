"""Forms of the maternal-care, health-education and referral pages. Numbers stay text so that "23,5" and
"23.5" both reach the services, which clean and check them (one place for the rules, shared with the API)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.health.models_maternal import (
    Attendant, BirthOutcome, CarePlace, DeathCause, DeathKind, EducationTopic, PregnancyStatus, ReferralKind,
    ReferralOutcome, ReferredTo,
)


def _date(label, *, required: bool = True, initial=None):
    return forms.DateField(label=label, required=required, initial=initial,
                           widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


def _number(label, hint: str = "", *, mode: str = "decimal"):
    return forms.CharField(label=label, required=False, max_length=8, help_text=hint,
                           widget=forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"}))


def _notes(label):
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PregnancyOpenForm(forms.Form):
    lmp = _date(_("Hari pertama haid terakhir (HPHT)"))
    edd = _date(_("Hari perkiraan lahir (HPL)"), required=False)
    edd_reason = forms.CharField(label=_("Alasan HPL berbeda dari HPHT + 280 hari"), max_length=250, required=False)
    gravida = _number(_("Kehamilan ke- (G)"), mode="numeric")
    para = _number(_("Jumlah persalinan sebelumnya (P)"), mode="numeric")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edd"].help_text = _("Kosongkan: dihitung dari HPHT + 280 hari (Naegele).")


class EddForm(forms.Form):
    edd = _date(_("HPL baru"))
    reason = forms.CharField(label=_("Alasan perubahan"), max_length=250)


class AntenatalForm(forms.Form):
    visit_date = _date(_("Tanggal pemeriksaan"), initial=timezone.localdate)
    place = forms.ChoiceField(label=_("Tempat"), choices=CarePlace.choices[:4], initial=CarePlace.POSYANDU)
    weight_kg = _number(_("Berat badan (kg)"), _("misalnya 55,4"))
    systolic = _number(_("Tekanan darah sistolik (mmHg)"), _("angka atas, misalnya 120"), mode="numeric")
    diastolic = _number(_("Tekanan darah diastolik (mmHg)"), _("angka bawah, misalnya 80"), mode="numeric")
    muac_cm = _number(_("Lingkar lengan atas / LiLA (cm)"), _("misalnya 24,5"))
    hb_g_dl = _number(_("Hemoglobin / Hb (g/dL)"), _("jika diperiksa"))
    notes = _notes(_("Catatan"))


class DeliveryForm(forms.Form):
    date = _date(_("Tanggal persalinan"), initial=timezone.localdate)
    place = forms.ChoiceField(label=_("Tempat persalinan"), choices=CarePlace.choices[1:])
    attendant = forms.ChoiceField(label=_("Penolong persalinan"), choices=Attendant.choices)
    outcome = forms.ChoiceField(label=_("Keadaan bayi"), choices=BirthOutcome.choices, widget=forms.RadioSelect)
    birth_weight_g = _number(_("Berat lahir (gram)"), _("misalnya 3100"), mode="numeric")
    baby_id = forms.TypedChoiceField(label=_("Bayi di registri"), coerce=int, required=False, empty_value=None)
    notes = _notes(_("Catatan"))

    def __init__(self, *args, babies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baby_id"].choices = [("", _("Belum didaftarkan"))] + [
            (b.pk, f"{b.full_name} ({b.birth_date:%d/%m/%Y})") for b in babies]


class PostnatalForm(forms.Form):
    visit_date = _date(_("Tanggal kunjungan"), initial=timezone.localdate)
    place = forms.ChoiceField(label=_("Tempat"), choices=CarePlace.choices, initial=CarePlace.HOME)
    mother_notes = _notes(_("Keadaan ibu"))
    baby_notes = _notes(_("Keadaan bayi"))


class EndForm(forms.Form):
    status = forms.ChoiceField(label=_("Kehamilan berakhir karena"), widget=forms.RadioSelect, choices=[
        (s.value, s.label) for s in (PregnancyStatus.MISCARRIAGE, PregnancyStatus.ABORTION,
                                     PregnancyStatus.ENDED_OTHER, PregnancyStatus.MOVED)])
    date = _date(_("Tanggal"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Keterangan"), max_length=250)


class DeathForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis kematian"), choices=DeathKind.choices)
    date = _date(_("Tanggal meninggal"))
    cause = forms.ChoiceField(label=_("Kategori penyebab"), choices=DeathCause.choices)
    place = forms.ChoiceField(label=_("Tempat"), choices=CarePlace.choices)
    resident_id = forms.TypedChoiceField(label=_("Warga"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident_id"].choices = [("", _("Tidak terdaftar di registri"))] + [
            (r.pk, f"{r.full_name} ({r.birth_date:%d/%m/%Y})") for r in people]


class EducationSessionForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topik"), choices=EducationTopic.choices)
    title = forms.CharField(label=_("Judul (jika perlu)"), max_length=150, required=False)
    date = _date(_("Tanggal"), initial=timezone.localdate)
    place = forms.CharField(label=_("Tempat"), max_length=150, required=False)
    facilitator = forms.CharField(label=_("Penyuluh / fasilitator"), max_length=120)
    notes = _notes(_("Catatan"))


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=ReferralKind.choices, widget=forms.RadioSelect,
                             initial=ReferralKind.REFERRAL)
    date = _date(_("Tanggal"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Alasan / keluhan"), max_length=250)
    referred_to = forms.ChoiceField(label=_("Dirujuk ke"), choices=ReferredTo.choices)
    facility = forms.CharField(label=_("Nama fasilitas"), max_length=150, required=False,
                               help_text=_("misalnya Puskesmas Kebon Jeruk"))
    follow_up_date = _date(_("Tanggal tindak lanjut"), required=False)
    notes = _notes(_("Catatan"))


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Hasil"), widget=forms.RadioSelect,
                                choices=[c for c in ReferralOutcome.choices if c[0] != ReferralOutcome.PENDING])
    outcome_date = _date(_("Tanggal hasil"), initial=timezone.localdate)
    follow_up_date = _date(_("Tanggal tindak lanjut berikutnya"), required=False)
    notes = _notes(_("Catatan"))
