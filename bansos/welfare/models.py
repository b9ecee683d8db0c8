"""The welfare model (versioned weights) and each household's score and decile."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ModelStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")  # being edited by the admin; never used for scoring
    PUBLISHED = "published", _("Berlaku")  # the one model that scores households now
    RETIRED = "retired", _("Tidak berlaku")  # replaced by a newer version; kept read-only for history


# Allowed status changes; everything else is refused by the services.
MODEL_TRANSITIONS = {
    ModelStatus.DRAFT: {ModelStatus.PUBLISHED},
    ModelStatus.PUBLISHED: {ModelStatus.RETIRED},
    ModelStatus.RETIRED: set(),
}


class WelfareModel(models.Model):
    """One version of the kelurahan's proxy-means model: log(per capita) = log(base) + sum(weights)."""

    version = models.PositiveIntegerField(_("versi"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    status = models.CharField(_("status"), max_length=12, choices=ModelStatus.choices, default=ModelStatus.DRAFT)
    base_amount = models.PositiveBigIntegerField(
        _("pengeluaran dasar per kapita (Rp)"),
        help_text=_("Perkiraan pengeluaran per kapita per bulan keluarga acuan, sebelum bobot atribut."),
    )
    notes = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("model kesejahteraan")
        verbose_name_plural = _("model kesejahteraan")
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="published"), name="welfare_one_published"),
            models.CheckConstraint(condition=Q(base_amount__gte=1), name="welfare_base_positive"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class WelfareCoefficient(models.Model):
    """The weight (log points) of one value of one attribute in one model version."""

    model = models.ForeignKey(WelfareModel, on_delete=models.CASCADE, related_name="coefficients")
    attribute = models.CharField(max_length=40)
    value = models.CharField(max_length=40)
    weight = models.FloatField()

    class Meta:
        ordering = ["model", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["model", "attribute", "value"], name="welfare_coefficient_unique"),
            models.CheckConstraint(condition=Q(weight__gte=-2.0, weight__lte=2.0), name="welfare_weight_range"),
        ]


class HouseholdWelfare(models.Model):
    """A household's latest estimate and its place in the kelurahan ranking (decile 1 = poorest)."""

    # Scores are derived rows, rewritten wholesale by one INSERT ... SELECT that takes the ids from
    # the household table and the locked published model in the same transaction. Database
    # foreign-key checks would add one lookup per row (about 5 s at COMMIT for 270,000 rows on
    # PostgreSQL) and guard nothing that statement does not already; Django's on_delete still
    # cascades (household) and protects (model) for ORM deletes.
    household = models.OneToOneField(
        "registry.Household", on_delete=models.CASCADE, primary_key=True, related_name="welfare",
        db_constraint=False,
    )
    # No index on model or decile: every index costs a second on each 270,000-row rescore, and
    # rules reach the decile through the household join (the primary key) anyway.
    model = models.ForeignKey(WelfareModel, on_delete=models.PROTECT, related_name="scores", db_index=False,
                              db_constraint=False)
    per_capita = models.PositiveBigIntegerField(_("perkiraan pengeluaran per kapita (Rp)"))
    score = models.FloatField(_("skor (log Rupiah)"))
    decile = models.PositiveSmallIntegerField(_("desil"))
    rank = models.PositiveIntegerField(_("peringkat"))
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("skor kesejahteraan keluarga")
        verbose_name_plural = _("skor kesejahteraan keluarga")
        constraints = [
            models.CheckConstraint(condition=Q(decile__gte=1, decile__lte=10), name="welfare_decile_range"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="welfare_rank_positive"),
        ]


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")  # asked for, waiting for the worker
    RUNNING = "running", _("Berjalan")  # reading and scoring households
    DONE = "done", _("Selesai")  # every active household scored and ranked
    FAILED = "failed", _("Gagal")  # nothing was changed; error says why


class WelfareRun(models.Model):
    """One rescoring of the whole registry, for the progress bar and the record of who ran it."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    model = models.ForeignKey(WelfareModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, int(self.done * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
