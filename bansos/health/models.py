"""Posyandu child growth: monthly sessions, child visits with their WHO z-scores, and growth alerts.

Health data is specific personal data (UU PDP): every read goes through ``bansos.health.access``. The
z-scores and their Permenkes 2/2020 classifications are stored on the visit when it is recorded, and
computed again when the visit is corrected, so lists and reports never recompute them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Position(models.TextChoices):
    LYING = "lying", _("Berbaring (panjang badan)")
    STANDING = "standing", _("Berdiri (tinggi badan)")


class Immunization(models.TextChoices):
    """The national routine schedule for under-twos (Kemenkes), plus the follow-up doses at 18 months."""

    HB0 = "HB0", "HB0"
    BCG = "BCG", "BCG"
    POLIO1 = "POLIO1", "Polio 1"
    POLIO2 = "POLIO2", "Polio 2"
    POLIO3 = "POLIO3", "Polio 3"
    POLIO4 = "POLIO4", "Polio 4"
    DPT1 = "DPT1", "DPT-HB-Hib 1"
    DPT2 = "DPT2", "DPT-HB-Hib 2"
    DPT3 = "DPT3", "DPT-HB-Hib 3"
    DPT4 = "DPT4", _("DPT-HB-Hib lanjutan")
    IPV1 = "IPV1", "IPV 1"
    IPV2 = "IPV2", "IPV 2"
    PCV1 = "PCV1", "PCV 1"
    PCV2 = "PCV2", "PCV 2"
    PCV3 = "PCV3", "PCV 3"
    ROTA1 = "ROTA1", "Rotavirus 1"
    ROTA2 = "ROTA2", "Rotavirus 2"
    ROTA3 = "ROTA3", "Rotavirus 3"
    MR1 = "MR1", _("Campak/MR")
    MR2 = "MR2", _("Campak/MR lanjutan")


class VitaminA(models.TextChoices):
    NONE = "", _("Tidak diberikan")
    BLUE = "blue", _("Kapsul biru (100.000 IU, 6–11 bulan)")
    RED = "red", _("Kapsul merah (200.000 IU, 12–59 bulan)")


class PosyanduSession(models.Model):
    """One month's posyandu day (hari buka posyandu)."""

    posyandu = models.ForeignKey("core.Posyandu", on_delete=models.PROTECT, related_name="sessions")
    month = models.DateField(_("bulan"), help_text=_("Hari pertama bulan itu."))
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=150, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "posyandu__name"]
        constraints = [
            models.UniqueConstraint(fields=["posyandu", "month"], name="health_session_one_per_month"),
            # "The first day of the month" is kept by the services: a CHECK on the day would call Django's own
            # SQL function on SQLite, which the sqlite3 tools and the backup's integrity check do not know.
        ]
        verbose_name = _("sesi posyandu")

    def __str__(self) -> str:
        return f"{self.posyandu.name} {self.month:%Y-%m}"


class ChildVisit(models.Model):
    """A child weighed and measured at a session; z-scores are the growth engine's, stored."""

    session = models.ForeignKey(PosyanduSession, on_delete=models.PROTECT, related_name="visits")
    child = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="child_visits")
    # The child's household when the visit was recorded: the audit trail and the household panel use it.
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="child_visits")
    visit_date = models.DateField(_("tanggal kunjungan"))
    age_days = models.PositiveIntegerField(_("umur (hari)"))
    weight_kg = models.DecimalField(_("berat badan (kg)"), max_digits=5, decimal_places=2, null=True, blank=True)
    length_cm = models.DecimalField(_("panjang/tinggi badan (cm)"), max_digits=4, decimal_places=1, null=True,
                                    blank=True)
    position = models.CharField(_("cara ukur"), max_length=8, choices=Position.choices, blank=True)
    head_cm = models.DecimalField(_("lingkar kepala (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    muac_cm = models.DecimalField(_("lingkar lengan atas/LiLA (cm)"), max_digits=4, decimal_places=1, null=True,
                                  blank=True)
    oedema = models.BooleanField(_("edema kedua kaki"), default=False)
    immunizations = models.JSONField(_("imunisasi diberikan"), default=list, blank=True)
    vitamin_a = models.CharField(_("vitamin A"), max_length=4, choices=VitaminA.choices, blank=True, default="")
    notes = models.TextField(_("catatan"), blank=True)
    # Computed (bansos.health.growth), never typed in.
    length_used_cm = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    waz = models.DecimalField("BB/U z", max_digits=4, decimal_places=2, null=True, blank=True)
    haz = models.DecimalField("PB/U-TB/U z", max_digits=4, decimal_places=2, null=True, blank=True)
    whz = models.DecimalField("BB/PB-BB/TB z", max_digits=4, decimal_places=2, null=True, blank=True)
    baz = models.DecimalField("IMT/U z", max_digits=4, decimal_places=2, null=True, blank=True)
    waz_class = models.CharField(max_length=24, blank=True)
    haz_class = models.CharField(max_length=24, blank=True)
    whz_class = models.CharField(max_length=24, blank=True)
    baz_class = models.CharField(max_length=24, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["child_id", "visit_date"]
        constraints = [
            models.UniqueConstraint(fields=["session", "child"], name="health_visit_one_per_session"),
            models.CheckConstraint(condition=Q(weight_kg__isnull=True) | Q(weight_kg__gt=0),
                                   name="health_visit_weight_positive"),
            models.CheckConstraint(condition=Q(length_cm__isnull=True) | Q(length_cm__gt=0),
                                   name="health_visit_length_positive"),
        ]
        indexes = [models.Index(fields=["child", "visit_date"], name="health_visit_child_idx")]
        verbose_name = _("kunjungan balita")

    def __str__(self) -> str:
        return f"{self.child.full_name} {self.visit_date:%Y-%m-%d}"

    @property
    def age_months(self) -> int:
        return int(self.age_days / 30.4375)


class AlertKind(models.TextChoices):
    NO_GAIN_2T = "2t", _("Berat badan tidak naik 2 kali berturut-turut (2T)")  # two monthly visits, no gain
    NEWLY_STUNTED = "stunted", _("Baru terdeteksi pendek (stunting)")  # HAZ < -2, not so at the visit before
    SEVERE_WASTING = "severe", _("Gizi buruk: rujuk segera ke puskesmas")  # WHZ < -3, oedema or MUAC < 11,5 cm


class GrowthAlert(models.Model):
    kind = models.CharField(max_length=8, choices=AlertKind.choices)
    child = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="growth_alerts")
    visit = models.ForeignKey(ChildVisit, on_delete=models.CASCADE, related_name="alerts")
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolution = models.CharField(_("tindak lanjut"), max_length=250, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            # A child has at most one open alert of a kind: it stays open until someone follows it up.
            models.UniqueConstraint(fields=["child", "kind"], condition=Q(resolved=False),
                                    name="health_alert_one_open_per_kind"),
        ]
        verbose_name = _("peringatan pertumbuhan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.child.full_name}"


# Maternal care, health education and referrals live in their own module; importing them here registers
# them with the health app.
from bansos.health.models_maternal import (  # noqa: E402,F401
    AntenatalVisit, Delivery, EducationAttendance, EducationSession, HealthDeath, PostnatalVisit, Pregnancy, Referral,
)
