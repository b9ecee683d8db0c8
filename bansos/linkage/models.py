"""Linkage runs (Splink over the registry) and the candidate duplicate pairs they leave for review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")  # waiting for the worker
    RUNNING = "running", _("Berjalan")  # the worker is linking
    DONE = "done", _("Selesai")  # pairs stored
    FAILED = "failed", _("Gagal")  # nothing stored; ``error`` says why


class LinkageRun(models.Model):
    """One deduplication of the registry: the trained model and the pairs it found."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=40, blank=True)
    records = models.PositiveIntegerField(default=0)
    automatic = models.PositiveIntegerField(default=0)  # pairs at or above engine.AUTO_LINK
    review = models.PositiveIntegerField(default=0)  # pairs between engine.REVIEW_MIN and AUTO_LINK
    model = models.JSONField(default=dict, blank=True)  # the trained m/u parameters (engine.parameters)
    timings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Run {self.pk}"


class PairStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu tinjauan")  # nobody decided yet
    CONFIRMED = "confirmed", _("Dikonfirmasi; digabung")  # the same person: merged
    REJECTED = "rejected", _("Bukan orang yang sama")  # different people
    STALE = "stale", _("Tidak berlaku lagi")  # one of the two was merged or changed status meanwhile


class CandidatePair(models.Model):
    """Two residents a run found probably to be one person, with the evidence field by field."""

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="pairs")
    left = models.ForeignKey("registry.Resident", on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("registry.Resident", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    weight = models.FloatField()
    evidence = models.JSONField(default=dict)  # comparison -> level key (engine.COMPARISONS)
    automatic = models.BooleanField(default=False)  # at or above AUTO_LINK
    status = models.CharField(max_length=10, choices=PairStatus.choices, default=PairStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    merge = models.ForeignKey("registry.ResidentMerge", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "left", "right"], name="linkage_pair_unique_per_run"),
            models.CheckConstraint(condition=Q(probability__gte=0) & Q(probability__lte=1),
                                   name="linkage_pair_probability_range"),
        ]
        indexes = [models.Index(fields=["run", "status", "-probability"], name="linkage_pair_queue_idx")]
