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


class ListStatus(models.TextChoices):
    MAPPING = "mapping", _("Menunggu pemetaan kolom")  # uploaded; the uploader confirms which column is what
    QUEUED = "queued", _("Menunggu")  # mapping saved, waiting for the worker
    RUNNING = "running", _("Berjalan")  # the worker is reading and linking
    DONE = "done", _("Selesai")  # every row is linked, possible or new
    FAILED = "failed", _("Gagal")  # nothing stored; ``error`` says why


# The fields an agency list can map, in the order the mapping form shows them.
LIST_FIELDS = ("nik", "full_name", "birth_date", "sex", "kk", "rt", "rw", "address")


class AgencyList(models.Model):
    """A partner agency's own beneficiary list, uploaded to find who is in the registry.

    The list and its rows are the agency's data: only its officers (and the kelurahan admin) see them.
    """

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("lembaga"))
    title = models.CharField(_("judul daftar"), max_length=120)
    original_name = models.CharField(max_length=255)
    file_path = models.CharField(max_length=500)
    file_kind = models.CharField(max_length=4)  # csv / xlsx
    headers = models.JSONField(default=list)  # the file's header cells, in order
    sample = models.JSONField(default=list)  # the first rows (as text), for the mapping step
    mapping = models.JSONField(default=dict)  # LIST_FIELDS name -> column index
    status = models.CharField(max_length=10, choices=ListStatus.choices, default=ListStatus.MAPPING)
    percent = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=40, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    possible = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # rows without a name or a NIK: nothing to link on
    timings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-created_at"], name="linkage_list_agency_idx")]

    def __str__(self) -> str:
        return self.title


class RowStatus(models.TextChoices):
    LINKED = "linked", _("Cocok")  # the same person as a registry resident (automatic or confirmed)
    POSSIBLE = "possible", _("Mungkin cocok")  # a likely resident; the uploader reviews
    NEW = "new", _("Tidak ada di registri")  # nobody in the registry (or the uploader said so)
    SKIPPED = "skipped", _("Dilewati")  # neither a name nor a NIK: nothing to link on


class AgencyListRow(models.Model):
    """One row of an agency list, as mapped, and the registry resident it is (or may be)."""

    agency_list = models.ForeignKey(AgencyList, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()  # the row number the spreadsheet shows (header = 1)
    nik = models.CharField(max_length=32, blank=True)
    full_name = models.CharField(max_length=150, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    kk = models.CharField(max_length=32, blank=True)
    rw = models.PositiveSmallIntegerField(null=True, blank=True)
    rt = models.PositiveSmallIntegerField(null=True, blank=True)
    address = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=RowStatus.choices, default=RowStatus.NEW)
    resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    probability = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["agency_list", "number"], name="linkage_list_row_unique"),
            models.CheckConstraint(condition=~Q(status="linked") | Q(resident__isnull=False),
                                   name="linkage_list_row_linked_has_resident"),
        ]
        indexes = [models.Index(fields=["agency_list", "status", "number"], name="linkage_list_row_status_idx")]
