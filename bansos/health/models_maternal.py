"""Maternal care, health education and free services: pregnancies with antenatal visits, deliveries,
postnatal visits, maternal and child deaths (monitoring), health-education sessions and referrals.

Imported by ``bansos.health.models`` so that Django registers them in the health app. Health data is
specific personal data (UU PDP): every read goes through ``bansos.health.access``. The risk flags of an
antenatal visit are computed by ``bansos.health.maternal`` when the visit is recorded and stored with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PregnancyStatus(models.TextChoices):
    ONGOING = "ongoing", _("Sedang hamil")  # followed by antenatal visits; one per woman
    DELIVERED = "delivered", _("Sudah bersalin")  # a delivery is recorded
    MISCARRIAGE = "miscarriage", _("Keguguran")  # ended before 20 weeks without an induced abortion
    ABORTION = "abortion", _("Aborsi")  # an induced ending (as the health worker records it)
    ENDED_OTHER = "ended_other", _("Berakhir (lainnya)")  # ectopic, molar, maternal death, ...
    MOVED = "moved", _("Pindah wilayah")  # no longer followed here; still pregnant


# Allowed status changes (the end states are final: a new pregnancy is a new row).
PREGNANCY_TRANSITIONS = {
    PregnancyStatus.ONGOING: {PregnancyStatus.DELIVERED, PregnancyStatus.MISCARRIAGE, PregnancyStatus.ABORTION,
                              PregnancyStatus.ENDED_OTHER, PregnancyStatus.MOVED},
}
# The end states that mean "no longer pregnant": the registry's ``pregnant`` flag is cleared.
NOT_PREGNANT_ANY_MORE = {PregnancyStatus.DELIVERED, PregnancyStatus.MISCARRIAGE, PregnancyStatus.ABORTION,
                         PregnancyStatus.ENDED_OTHER}


class CarePlace(models.TextChoices):
    POSYANDU = "posyandu", _("Posyandu")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    BIDAN = "bidan", _("Praktik bidan")
    HOSPITAL = "hospital", _("Rumah sakit")
    HOME = "home", _("Rumah")
    OTHER = "other", _("Lainnya")


class Attendant(models.TextChoices):
    DOCTOR = "doctor", _("Dokter / dokter kandungan")
    MIDWIFE = "midwife", _("Bidan")
    NURSE = "nurse", _("Perawat")
    TRADITIONAL = "traditional", _("Dukun bayi")
    NONE = "none", _("Tanpa penolong / keluarga")


class BirthOutcome(models.TextChoices):
    LIVE = "live", _("Lahir hidup")
    STILLBIRTH = "stillbirth", _("Lahir mati")


class Pregnancy(models.Model):
    """One pregnancy of a woman of the registry, from the last menstrual period to its end."""

    mother = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="pregnancies")
    # The mother's household when the pregnancy was opened: the audit trail and the access rule use it.
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="pregnancies")
    lmp = models.DateField(_("hari pertama haid terakhir (HPHT)"))
    edd = models.DateField(_("hari perkiraan lahir (HPL)"))
    edd_reason = models.CharField(_("alasan HPL diubah"), max_length=250, blank=True)
    gravida = models.PositiveSmallIntegerField(_("kehamilan ke- (G)"), null=True, blank=True)
    para = models.PositiveSmallIntegerField(_("jumlah persalinan (P)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PregnancyStatus.choices,
                              default=PregnancyStatus.ONGOING)
    ended_on = models.DateField(_("tanggal berakhir"), null=True, blank=True)
    end_notes = models.CharField(_("keterangan"), max_length=250, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edd", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mother"], condition=Q(status="ongoing"),
                                    name="health_pregnancy_one_ongoing"),
            models.CheckConstraint(condition=Q(edd__gt=F("lmp")), name="health_pregnancy_edd_after_lmp"),
            models.CheckConstraint(condition=Q(gravida__isnull=True) | Q(para__isnull=True) | Q(para__lt=F("gravida")),
                                   name="health_pregnancy_para_below_gravida"),
        ]
        indexes = [models.Index(fields=["status", "household"], name="health_preg_status_idx")]
        verbose_name = _("kehamilan")

    def __str__(self) -> str:
        return f"{self.mother.full_name} HPL {self.edd:%Y-%m-%d}"


class AntenatalVisit(models.Model):
    """An antenatal check (ANC / pemeriksaan kehamilan) with its risk flags, computed and stored."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField(_("tanggal pemeriksaan"))
    gestational_days = models.PositiveSmallIntegerField(_("usia kehamilan (hari)"))
    place = models.CharField(_("tempat"), max_length=12, choices=CarePlace.choices, default=CarePlace.POSYANDU)
    weight_kg = models.DecimalField(_("berat badan (kg)"), max_digits=4, decimal_places=1, null=True, blank=True)
    systolic = models.PositiveSmallIntegerField(_("tekanan darah sistolik (mmHg)"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("tekanan darah diastolik (mmHg)"), null=True, blank=True)
    muac_cm = models.DecimalField(_("LiLA (cm)"), max_digits=3, decimal_places=1, null=True, blank=True)
    hb_g_dl = models.DecimalField(_("hemoglobin (g/dL)"), max_digits=3, decimal_places=1, null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    # Computed (bansos.health.maternal), never typed in.
    kek = models.BooleanField(default=False)  # MUAC < 23.5 cm: chronic energy deficiency
    high_bp = models.BooleanField(default=False)  # >= 140 systolic or >= 90 diastolic
    anaemia = models.BooleanField(default=False)  # Hb < 11 g/dL
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pregnancy_id", "visit_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pregnancy", "visit_date"], name="health_anc_one_per_day"),
            models.CheckConstraint(condition=Q(systolic__isnull=True) | Q(diastolic__isnull=True)
                                   | Q(diastolic__lt=F("systolic")), name="health_anc_bp_order"),
        ]
        verbose_name = _("pemeriksaan kehamilan")

    @property
    def week(self) -> int:
        return self.gestational_days // 7


class Delivery(models.Model):
    """How a pregnancy ended in a birth (persalinan)."""

    pregnancy = models.OneToOneField(Pregnancy, on_delete=models.PROTECT, related_name="delivery")
    date = models.DateField(_("tanggal persalinan"))
    gestational_days = models.PositiveSmallIntegerField(_("usia kehamilan (hari)"))
    place = models.CharField(_("tempat persalinan"), max_length=12, choices=CarePlace.choices)
    attendant = models.CharField(_("penolong persalinan"), max_length=12, choices=Attendant.choices)
    outcome = models.CharField(_("keadaan bayi"), max_length=12, choices=BirthOutcome.choices)
    birth_weight_g = models.PositiveIntegerField(_("berat lahir (gram)"), null=True, blank=True)
    baby = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("bayi di registri"))
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("persalinan")

    @property
    def low_birth_weight(self) -> bool:
        return self.birth_weight_g is not None and self.birth_weight_g < 2500


class PostnatalVisit(models.Model):
    """A postnatal check of mother and baby (kunjungan nifas, within 42 days of the delivery)."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="postnatal_visits")
    visit_date = models.DateField(_("tanggal kunjungan"))
    days_after = models.PositiveSmallIntegerField(_("hari setelah persalinan"))
    place = models.CharField(_("tempat"), max_length=12, choices=CarePlace.choices, default=CarePlace.HOME)
    mother_notes = models.TextField(_("keadaan ibu"), blank=True)
    baby_notes = models.TextField(_("keadaan bayi"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pregnancy_id", "visit_date", "id"]
        constraints = [models.UniqueConstraint(fields=["pregnancy", "visit_date"], name="health_pnc_one_per_day")]
        verbose_name = _("kunjungan nifas")


class DeathKind(models.TextChoices):
    MATERNAL = "maternal", _("Kematian ibu")  # during pregnancy, delivery or within 42 days after
    NEONATAL = "neonatal", _("Kematian neonatal (0–28 hari)")
    INFANT = "infant", _("Kematian bayi (29 hari–11 bulan)")
    UNDER_FIVE = "under_five", _("Kematian balita (1–4 tahun)")


class DeathCause(models.TextChoices):
    HAEMORRHAGE = "haemorrhage", _("Perdarahan")
    HYPERTENSION = "hypertension", _("Hipertensi dalam kehamilan / eklamsia")
    INFECTION = "infection", _("Infeksi (termasuk sepsis, pneumonia, diare)")
    ASPHYXIA = "asphyxia", _("Asfiksia")
    PREMATURITY = "prematurity", _("Prematur / berat lahir rendah")
    CONGENITAL = "congenital", _("Kelainan bawaan")
    MALNUTRITION = "malnutrition", _("Gizi buruk")
    INJURY = "injury", _("Cedera / kecelakaan")
    OTHER = "other", _("Lainnya / tidak diketahui")


class HealthDeath(models.Model):
    """A maternal or child death, recorded for monitoring: pages and reports show only counts."""

    kind = models.CharField(_("jenis"), max_length=12, choices=DeathKind.choices)
    date = models.DateField(_("tanggal meninggal"))
    cause = models.CharField(_("kategori penyebab"), max_length=14, choices=DeathCause.choices)
    place = models.CharField(_("tempat"), max_length=12, choices=CarePlace.choices)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    pregnancy = models.ForeignKey(Pregnancy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["resident"], condition=Q(resident__isnull=False),
                                               name="health_death_once_per_resident")]
        verbose_name = _("kematian ibu/anak")


class EducationTopic(models.TextChoices):
    PREGNANCY_NUTRITION = "nutrition_preg", _("Gizi ibu hamil dan tablet tambah darah")
    DANGER_SIGNS = "danger_signs", _("Tanda bahaya kehamilan dan persalinan")
    BREASTFEEDING = "breastfeeding", _("ASI eksklusif")
    COMPLEMENTARY = "mpasi", _("Makanan pendamping ASI (MPASI)")
    STUNTING = "stunting", _("Pencegahan stunting")
    IMMUNIZATION = "immunization", _("Imunisasi")
    FAMILY_PLANNING = "family_planning", _("Keluarga berencana (KB)")
    HYGIENE = "hygiene", _("PHBS dan cuci tangan")
    TB = "tb", _("TBC")
    OTHER = "other", _("Lainnya")


class EducationSession(models.Model):
    """A health-education session (penyuluhan) of a posyandu, with its attendance from the registry."""

    posyandu = models.ForeignKey("core.Posyandu", on_delete=models.PROTECT, related_name="education_sessions")
    topic = models.CharField(_("topik"), max_length=16, choices=EducationTopic.choices)
    title = models.CharField(_("judul"), max_length=150, blank=True)
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=150, blank=True)
    facilitator = models.CharField(_("penyuluh / fasilitator"), max_length=120)
    notes = models.TextField(_("catatan"), blank=True)
    attendees = models.ManyToManyField("registry.Resident", through="EducationAttendance", related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("penyuluhan kesehatan")

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.date:%Y-%m-%d}"


class EducationAttendance(models.Model):
    session = models.ForeignKey(EducationSession, on_delete=models.CASCADE, related_name="attendance")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "resident"], name="health_edu_attend_once")]


class ReferralKind(models.TextChoices):
    REFERRAL = "referral", _("Rujukan")  # sent on to a facility for care the posyandu cannot give
    FREE_SERVICE = "free_service", _("Layanan kesehatan gratis")  # a free check or treatment arranged


class ReferredTo(models.TextChoices):
    PUSKESMAS = "puskesmas", _("Puskesmas")
    HOSPITAL = "hospital", _("Rumah sakit")
    OTHER = "other", _("Fasilitas lain")


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("Belum ada kabar")  # sent, outcome not yet known
    ATTENDED = "attended", _("Datang / diperiksa")  # went to the facility
    TREATED = "treated", _("Dirawat / diobati")  # went and received treatment
    NOT_ATTENDED = "not_attended", _("Tidak datang")  # did not go


class Referral(models.Model):
    """A free-service visit or a referral to the puskesmas or a hospital, with its outcome."""

    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="health_referrals")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    pregnancy = models.ForeignKey(Pregnancy, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="referrals")
    kind = models.CharField(_("jenis"), max_length=14, choices=ReferralKind.choices, default=ReferralKind.REFERRAL)
    date = models.DateField(_("tanggal"))
    reason = models.CharField(_("alasan"), max_length=250)
    referred_to = models.CharField(_("dirujuk ke"), max_length=10, choices=ReferredTo.choices)
    facility = models.CharField(_("nama fasilitas"), max_length=150, blank=True)
    outcome = models.CharField(_("hasil"), max_length=14, choices=ReferralOutcome.choices,
                               default=ReferralOutcome.PENDING)
    outcome_date = models.DateField(_("tanggal hasil"), null=True, blank=True)
    follow_up_date = models.DateField(_("tanggal tindak lanjut"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["outcome", "date"], name="health_referral_outcome_idx")]
        verbose_name = _("rujukan")
