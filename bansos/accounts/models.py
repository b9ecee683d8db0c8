"""Users with one role and one scope, partner agencies, and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin kelurahan")  # everything in the kelurahan
    OFFICER = "officer", _("Petugas program")  # the programs of one agency
    SURVEYOR = "surveyor", _("Petugas RT/RW")  # registers households in one RW or RT
    CADRE = "cadre", _("Kader kesehatan")  # health records of one posyandu area
    EVALUATOR = "evaluator", _("Pemantau & evaluator")  # aggregates only, no personal data
    RESIDENT = "resident", _("Warga")  # own household only


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", _("Instansi pemerintah")
    NGO = "ngo", _("LSM")
    BUSINESS = "business", _("Dunia usaha")
    COMMUNITY = "community", _("Kelompok masyarakat")


class Agency(models.Model):
    """A partner that runs programs: a government office, an NGO, a business or a community group."""

    name = models.CharField(_("nama lembaga"), max_length=150, unique=True)
    kind = models.CharField(_("jenis lembaga"), max_length=20, choices=AgencyKind.choices)
    contact = models.CharField(_("kontak"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lembaga mitra")
        verbose_name_plural = _("lembaga mitra")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name=_("lembaga")
    )
    rw = models.ForeignKey("core.RW", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rt = models.ForeignKey("core.RT", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    posyandu = models.ForeignKey(
        "core.Posyandu", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
        verbose_name=_("keluarga"),
    )
    # The resident a portal account belongs to (a member of ``household``): the portal's activation sets it,
    # and rules that depend on the person (youth proposals: age 16-30) read it. Staff accounts leave it empty.
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts",
        verbose_name=_("warga"),
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            # A scoped role without its scope would see nothing or, worse, be widened by a bug.
            models.CheckConstraint(
                condition=~Q(role="officer") | Q(agency__isnull=False), name="officer_has_agency"
            ),
            models.CheckConstraint(
                condition=~Q(role="surveyor") | Q(rw__isnull=False), name="surveyor_has_rw"
            ),
            models.CheckConstraint(
                condition=~Q(role="cadre") | Q(posyandu__isnull=False), name="cadre_has_posyandu"
            ),
        ]

    @property
    def scope_label(self) -> str:
        if self.role == Role.OFFICER and self.agency_id:
            return str(self.agency)
        if self.role == Role.SURVEYOR:
            return str(self.rt) if self.rt_id else str(self.rw)
        if self.role == Role.CADRE and self.posyandu_id:
            return str(self.posyandu)
        if self.role == Role.RESIDENT and self.household_id:
            return f"KK {self.household.kk_number}"
        return ""


class ApiToken(models.Model):
    """A bearer token for integrations. Only a hash is kept; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama token"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
