"""Merges of duplicate residents: what moved, so an admin can undo it exactly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidentMerge(models.Model):
    """One merge of ``duplicate`` into ``survivor``; ``moved`` lists every row that was repointed.

    ``moved`` is ``[{"model": "app.model", "field": "resident", "pk": 12}, ...]``: exactly the rows
    whose foreign key changed from the duplicate to the survivor, so an unmerge puts back those
    rows and no others (rows added to the survivor since stay with it).
    """

    survivor = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="merges_absorbed")
    duplicate_status = models.CharField(max_length=12)  # the duplicate's status before the merge
    reason = models.CharField(_("alasan"), max_length=200)
    moved = models.JSONField(default=list)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        constraints = [
            # One live merge per duplicate: a record merged away cannot be merged again until undone.
            models.UniqueConstraint(fields=["duplicate"], condition=models.Q(undone_at__isnull=True),
                                    name="resident_merge_one_live_per_duplicate"),
        ]

    def __str__(self) -> str:
        return f"{self.duplicate_id} -> {self.survivor_id}"
