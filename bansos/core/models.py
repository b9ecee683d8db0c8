"""Areas of the kelurahan (configuration, not code) and the platform-wide audit trail."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

kemendagri_code = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$", _("Kode Kemendagri kelurahan berformat 31.73.05.1005.")
)


class Kelurahan(models.Model):
    """The kelurahan this installation serves; one row."""

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True, validators=[kemendagri_code])
    name = models.CharField(_("nama kelurahan"), max_length=100)
    kecamatan = models.CharField(_("kecamatan"), max_length=100)
    city = models.CharField(_("kota/kabupaten"), max_length=100)
    province = models.CharField(_("provinsi"), max_length=100)

    class Meta:
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def region_prefix(self) -> str:
        """The 6-digit kecamatan prefix used in NIK and KK numbers issued here (e.g. 317305)."""
        return self.code.replace(".", "")[:6]


class RW(models.Model):
    number = models.PositiveSmallIntegerField(_("nomor RW"), unique=True, validators=[MinValueValidator(1)])
    name = models.CharField(_("nama/keterangan"), max_length=100, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "RW"
        verbose_name_plural = "RW"

    def __str__(self) -> str:
        return f"RW {self.number:02d}"


class RT(models.Model):
    rw = models.ForeignKey(RW, on_delete=models.PROTECT, related_name="rts", verbose_name="RW")
    number = models.PositiveSmallIntegerField(_("nomor RT"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["rw__number", "number"]
        constraints = [models.UniqueConstraint(fields=["rw", "number"], name="rt_unique_per_rw")]
        verbose_name = "RT"
        verbose_name_plural = "RT"

    def __str__(self) -> str:
        return f"RT {self.number:02d}/RW {self.rw.number:02d}"

    @property
    def label(self) -> str:
        return f"{self.number:03d}/{self.rw.number:03d}"


class Posyandu(models.Model):
    """A posyandu and the RTs it serves; health cadres are scoped to one."""

    name = models.CharField(_("nama posyandu"), max_length=100, unique=True)
    rw = models.ForeignKey(RW, on_delete=models.PROTECT, related_name="posyandus", verbose_name="RW")
    rts = models.ManyToManyField(RT, related_name="posyandus", verbose_name=_("RT yang dilayani"), blank=True)

    class Meta:
        ordering = ["rw__number", "name"]
        verbose_name = "posyandu"
        verbose_name_plural = "posyandu"

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One change made by someone, with what changed and why. Never updated or deleted."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The actor's username is kept too, so the trail survives the account being removed.
    actor_name = models.CharField(max_length=150, blank=True)
    # Indexed by audit_action_idx below rather than db_index=True, which on PostgreSQL also builds a
    # second, pattern-matching copy of the index that no query uses and every bulk write maintains.
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    # The household the change belongs to, so its history page is one indexed query.
    household_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    origin = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["household_id", "-created_at"], name="audit_household_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_label}"
