"""Review of candidate pairs: confirm (and merge) or reject."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError
from bansos.linkage.models import CandidatePair, PairStatus
from bansos.registry.models import ResidentStatus
from bansos.registry.services_merge import resident_merge

MSG_DECIDED = _("Pasangan ini sudah diputuskan.")
MSG_KEEP = _("Pilih data yang dipertahankan: salah satu dari pasangan ini.")
MSG_STALE = _("Salah satu warga ini sudah tidak aktif atau sudah digabung; pasangan ini tidak berlaku lagi.")


def _lock(pair: CandidatePair) -> CandidatePair:
    pair = CandidatePair.objects.select_for_update().select_related("left", "right").get(pk=pair.pk)
    if pair.status != PairStatus.PENDING:
        raise DomainError("pair_decided", MSG_DECIDED)
    return pair


@transaction.atomic
def pair_confirm(*, actor, pair: CandidatePair, keep_id: int, reason: str) -> CandidatePair:
    """The two are one person: merge the other into ``keep_id`` (one of the pair)."""
    require(actor, P.LINKAGE_MANAGE)
    pair = _lock(pair)
    if keep_id not in (pair.left_id, pair.right_id):
        raise DomainError("pair_keep", MSG_KEEP, field="keep")
    survivor, duplicate = (pair.left, pair.right) if keep_id == pair.left_id else (pair.right, pair.left)
    if ResidentStatus.MERGED in (survivor.status, duplicate.status):
        raise DomainError("pair_stale", MSG_STALE)
    merge = resident_merge(actor=actor, survivor=survivor, duplicate=duplicate, reason=reason)
    pair.status = PairStatus.CONFIRMED
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.merge = merge
    pair.save(update_fields=["status", "decided_by", "decided_at", "merge"])
    audit_log(actor=actor, action="linkage.pair.confirm", obj=pair, household_id=survivor.household_id,
              changes={"status": [PairStatus.PENDING, PairStatus.CONFIRMED], "kept": [None, survivor.pk]},
              reason=merge.reason)
    return pair


@transaction.atomic
def pair_reject(*, actor, pair: CandidatePair, reason: str = "") -> CandidatePair:
    """The two are different people: the pair leaves the queue."""
    require(actor, P.LINKAGE_MANAGE)
    pair = _lock(pair)
    reason = (reason or "").strip()[:200]
    pair.status = PairStatus.REJECTED
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    audit_log(actor=actor, action="linkage.pair.reject", obj=pair, household_id=pair.left.household_id,
              changes={"status": [PairStatus.PENDING, PairStatus.REJECTED]}, reason=reason)
    return pair
