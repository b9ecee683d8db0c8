"""Eligibility rules as data: a rule, its immutable versions (expression trees), and its runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RuleStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")  # being written; not offered on household pages
    ACTIVE = "active", _("Aktif")  # in use: household pages show whether it is met
    ARCHIVED = "archived", _("Diarsipkan")  # retired; kept with its runs for the record


class EligibilityRule(models.Model):
    """A named rule of one agency (or of the kelurahan when ``agency`` is empty)."""

    name = models.CharField(_("nama aturan"), max_length=150)
    description = models.TextField(_("keterangan"), blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="eligibility_rules",
        verbose_name=_("lembaga pemilik"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=RuleStatus.choices, default=RuleStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("aturan kelayakan")
        verbose_name_plural = _("aturan kelayakan")

    def __str__(self) -> str:
        return self.name


class RuleVersion(models.Model):
    """One version of a rule's expression. Never changed: saving makes a new version."""

    rule = models.ForeignKey(EligibilityRule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    expression = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rule_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="rule_version_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="rule_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} v{self.number}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")  # created, waiting for the worker
    RUNNING = "running", _("Berjalan")  # the worker is evaluating and storing the list
    DONE = "done", _("Selesai")  # count and list stored
    FAILED = "failed", _("Gagal")  # nothing kept; see error


class RuleRun(models.Model):
    """One evaluation of a rule version over the whole registry, with the list of households kept."""

    rule = models.ForeignKey(EligibilityRule, on_delete=models.CASCADE, related_name="runs")
    version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="runs")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # Ages (under five, elderly, ...) are computed on this date, so a run can be reproduced.
    reference_date = models.DateField(_("tanggal acuan"))
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)  # eligible households to store
    stored = models.PositiveIntegerField(default=0)  # stored so far (progress)
    eligible_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["rule", "status", "-id"], name="rule_run_rule_status_idx")]

    def __str__(self) -> str:
        return f"{self.rule} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.stored * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class RuleRunMember(models.Model):
    """A household a run found eligible."""

    run = models.ForeignKey(RuleRun, on_delete=models.CASCADE, related_name="members")
    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "household"], name="rule_run_member_unique")]
