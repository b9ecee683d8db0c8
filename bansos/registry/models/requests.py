"""Data-subject requests under UU PDP, and import jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DsrKind(models.TextChoices):
    ACCESS = "access", _("Akses/salinan data")
    CORRECTION = "correction", _("Perbaikan data")
    DELETION = "deletion", _("Penghapusan data")
    WITHDRAWAL = "withdrawal", _("Penarikan persetujuan")
    OBJECTION = "objection", _("Keberatan atas pemrosesan")


class DsrStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")  # logged, nobody has started yet
    IN_PROGRESS = "in_progress", _("Diproses")  # an officer is working on it
    DONE = "done", _("Selesai")  # fulfilled; resolution says how
    REFUSED = "refused", _("Ditolak")  # refused with a legal reason in resolution


DSR_TRANSITIONS = {
    DsrStatus.RECEIVED: {DsrStatus.IN_PROGRESS, DsrStatus.DONE, DsrStatus.REFUSED},
    DsrStatus.IN_PROGRESS: {DsrStatus.DONE, DsrStatus.REFUSED},
    DsrStatus.DONE: set(),
    DsrStatus.REFUSED: set(),
}


class DataSubjectRequest(models.Model):
    """A resident's request about their personal data (UU PDP No. 27/2022)."""

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="data_requests", verbose_name=_("keluarga")
    )
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="data_requests"
    )
    kind = models.CharField(_("jenis permintaan"), max_length=20, choices=DsrKind.choices)
    requester_name = models.CharField(_("nama pemohon"), max_length=120)
    description = models.TextField(_("uraian permintaan"))
    status = models.CharField(_("status"), max_length=20, choices=DsrStatus.choices, default=DsrStatus.RECEIVED)
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    due_at = models.DateTimeField(_("batas waktu"))
    resolution = models.TextField(_("penyelesaian"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["status", "due_at"]
        verbose_name = _("permintaan subjek data")
        verbose_name_plural = _("permintaan subjek data")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")  # uploaded, waiting for the worker
    RUNNING = "running", _("Berjalan")  # the worker is reading rows
    DONE = "done", _("Selesai")  # every row is in the report
    FAILED = "failed", _("Gagal")  # the file could not be read; nothing stored


class ImportJob(models.Model):
    """One import of a households file; the per-row report is a CSV next to the upload."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = models.CharField(max_length=255)
    file_path = models.CharField(max_length=500)
    report_path = models.CharField(max_length=500, blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    stored = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)  # part of "updated": matched, nothing differed
    rejected = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0 if self.status != ImportStatus.DONE else 100
        return min(100, int(self.rows_done * 100 / self.rows_total))
