"""Enrollment in bulk: apply a rule run's eligible households, verify at the desk, approve within budget.

Set-based: a few queries and batched inserts per call whatever the number of households, one
audit event per enrollment and step (the household's history stays complete), all in one
transaction so that a failure leaves nothing half done.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.audit import bulk_audit
from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.eligibility.models import RuleRun, RuleRunMember, RunStatus
from bansos.programs.access import require_program
from bansos.programs.models import (
    OPEN_STATES, Channel, Enrollment, EnrollmentState, Participant, PolicyEffect, Program,
)
from bansos.programs.services import funding, overlap
from bansos.programs.services.enrollment import MSG_NOTE_REQUIRED, _require_accepting
from bansos.registry.importing.bulk import Inserter, reserve_ids
from bansos.registry.models import HouseholdStatus, Relation, Resident, ResidentStatus

MSG_NO_RULE = _("Program ini belum punya aturan kelayakan.")
MSG_RUN_OTHER_RULE = _("Hasil penilaian ini bukan dari aturan kelayakan program ini.")
MSG_RUN_NOT_DONE = _("Penilaian aturan ini belum selesai.")

BATCH = 2000
ENROLLMENT_TYPE = Enrollment._meta.label_lower


@dataclass
class BulkResult:
    done: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason code -> count

    def skip(self, code: str, count: int) -> None:
        if count:
            self.skipped[code] = self.skipped.get(code, 0) + count


def _require(actor, program: Program) -> Program:
    if not has_role_perm(actor, P.ENROLLMENT_MANAGE):
        raise PermissionDeniedError()
    program = Program.objects.select_for_update().get(pk=program.pk)
    require_program(actor, P.ENROLLMENT_MANAGE, program)
    _require_accepting(program)
    return program


def _run_for(program: Program, run: RuleRun) -> RuleRun:
    if program.rule_id is None:
        raise DomainError("program_no_rule", MSG_NO_RULE)
    if run.rule_id != program.rule_id:
        raise DomainError("run_other_rule", MSG_RUN_OTHER_RULE)
    if run.status != RunStatus.DONE:
        raise DomainError("run_not_done", MSG_RUN_NOT_DONE)
    return run


# The columns written for each new enrollment (the others are null).
ENROLLMENT_COLUMNS = ("id", "program_id", "household_id", "resident_id", "state", "channel", "committed_amount",
                      "disbursed_amount", "verification_note", "reason", "applied_by_id", "applied_at", "updated_at")


def _audit(actor, action: str, rows: list[tuple[int, int]], changes: dict, reason: str = "") -> None:
    bulk_audit(actor=actor, action=action, object_type=ENROLLMENT_TYPE, rows=rows, changes=changes, reason=reason)


def _candidates(program: Program, run: RuleRun):
    """The run's households that can apply now, with the participant (head) for person programs."""
    members = RuleRunMember.objects.filter(run=run)
    open_enrollment = Enrollment.objects.filter(program=program, household=OuterRef("household_id"),
                                                state__in=OPEN_STATES)
    households = members.filter(household__status=HouseholdStatus.ACTIVE)
    return members, households.exclude(Exists(open_enrollment))


def enrollment_bulk_preview(*, actor, program: Program, run: RuleRun) -> dict:
    """What ``enrollment_bulk_apply`` would do, without doing it."""
    if not has_role_perm(actor, P.ENROLLMENT_MANAGE):
        raise PermissionDeniedError()
    require_program(actor, P.ENROLLMENT_MANAGE, program)
    _run_for(program, run)
    members, fresh = _candidates(program, run)
    eligible = members.count()
    active = members.filter(household__status=HouseholdStatus.ACTIVE).count()
    new = fresh.count()
    preview = {"eligible": eligible, "inactive": eligible - active, "already": active - new, "new": new,
               "without_head": 0, "person_program": program.participant == Participant.RESIDENT}
    if preview["person_program"]:
        with_head = fresh.filter(Exists(_head(OuterRef("household_id")))).count()
        preview["without_head"] = new - with_head
        preview["new"] = with_head
    return preview


def _head(household_ref):
    return Resident.objects.filter(household_id=household_ref, relation=Relation.HEAD, status=ResidentStatus.ACTIVE)


@transaction.atomic
def enrollment_bulk_apply(*, actor, program: Program, run: RuleRun) -> BulkResult:
    """Apply every household the run found eligible that has no open enrollment in the program yet.

    A person program enrols the household head: the rule judged the household, and staff can
    enrol another member one by one.
    """
    program = _require(actor, program)
    _run_for(program, run)
    members, fresh = _candidates(program, run)
    result = BulkResult()
    total = members.count()
    household_ids = list(fresh.values_list("household_id", flat=True).order_by("household_id"))
    heads: dict[int, int] = {}
    if program.participant == Participant.RESIDENT:
        for start in range(0, len(household_ids), BATCH):
            chunk = household_ids[start:start + BATCH]
            heads.update(Resident.objects.filter(
                household_id__in=chunk, relation=Relation.HEAD, status=ResidentStatus.ACTIVE,
            ).values_list("household_id", "id"))
        result.skip("without_head", len(household_ids) - len(heads))
        household_ids = [h for h in household_ids if h in heads]
    now = timezone.now()
    # Ids drawn first (inside this transaction), so the audit rows need no read-back of the new rows.
    created = list(zip(reserve_ids(Enrollment, len(household_ids)), household_ids, strict=True))
    inserter = Inserter(Enrollment, ENROLLMENT_COLUMNS)
    actor_id = actor.pk if actor is not None else None
    state, channel = EnrollmentState.APPLIED.value, Channel.RULE_RUN.value
    for start in range(0, len(created), BATCH):
        inserter.insert([
            [eid, program.pk, hid, heads.get(hid), state, channel, 0, 0, "", "", actor_id, now, now]
            for eid, hid in created[start:start + BATCH]
        ])
    _audit(actor, "enrollment.apply", created,
           {"program": str(program), "state": [None, EnrollmentState.APPLIED], "channel": Channel.RULE_RUN,
            "rule_run": run.pk})
    result.done = len(created)
    result.skip("already_or_inactive", total - len(household_ids) - result.skipped.get("without_head", 0))
    return result


MAX_PK = 2**63 - 1


def _ids_in(qs, ids):
    # An id beyond the database's integer range cannot exist, and SQLite refuses it in an IN list
    # (OverflowError, a 500): such ids are left out here and counted as skipped like any unknown id.
    return qs if ids is None else qs.filter(pk__in=[pk for pk in ids if 0 < pk <= MAX_PK])


@transaction.atomic
def enrollment_bulk_verify(*, actor, program: Program, note: str, ids=None) -> BulkResult:
    """Record one desk check for many applications (e.g. "checked against the registry on ...")."""
    program = _require(actor, program)
    note = (note or "").strip()
    if not note:
        raise DomainError("reason_required", MSG_NOTE_REQUIRED, field="reason")
    pending = _ids_in(Enrollment.objects.filter(program=program, state=EnrollmentState.APPLIED), ids)
    rows = list(pending.values_list("pk", "household_id").order_by("pk"))
    now = timezone.now()
    for start in range(0, len(rows), BATCH):
        chunk = [pk for pk, _h in rows[start:start + BATCH]]
        Enrollment.objects.filter(pk__in=chunk, state=EnrollmentState.APPLIED).update(
            state=EnrollmentState.VERIFIED, verification_note=note, verified_at=now, updated_at=now)
    _audit(actor, "enrollment.verify", rows,
           {"program": str(program), "state": [EnrollmentState.APPLIED, EnrollmentState.VERIFIED]}, note)
    result = BulkResult(done=len(rows))
    if ids is not None:
        result.skip("not_applied", len(set(ids)) - len(rows))
    return result


@transaction.atomic
def enrollment_bulk_approve(*, actor, program: Program, acknowledge_warnings: bool = False, ids=None) -> BulkResult:
    """Approve verified applications, poorest first (welfare score), until the budget or the places run out.

    Households a "forbid" policy blocks are skipped; those with a "warn" policy too, unless the
    officer acknowledged the warnings for this batch.
    """
    program = _require(actor, program)
    overlap.lock_forbid_policies(program)
    result = BulkResult()
    waiting = _ids_in(Enrollment.objects.filter(program=program, state=EnrollmentState.VERIFIED), ids)
    if ids is not None:
        result.skip("not_verified", len(set(ids)) - waiting.count())
    household_ok = Q(household__status=HouseholdStatus.ACTIVE)
    inactive = waiting.exclude(household_ok).count()
    result.skip("household_inactive", inactive)
    waiting = waiting.filter(household_ok)
    forbidden = overlap.households_with_conflict(program, PolicyEffect.FORBID)
    blocked = waiting.filter(household_id__in=forbidden).count()
    result.skip("overlap_forbidden", blocked)
    waiting = waiting.exclude(household_id__in=forbidden)
    warned = overlap.households_with_conflict(program, PolicyEffect.WARN)
    if not acknowledge_warnings:
        flagged = waiting.filter(household_id__in=warned).count()
        result.skip("overlap_warning", flagged)
        waiting = waiting.exclude(household_id__in=warned)
    cost = program.cost_per_participant
    fit = program.approval_room
    ordered = waiting.order_by(F("household__welfare__score").asc(nulls_last=True), "pk")
    rows = list((ordered if fit is None else ordered[:fit]).values_list("pk", "household_id"))
    total_waiting = waiting.count()
    result.skip("budget_or_capacity", total_waiting - len(rows))
    if not rows:
        return result
    funding.budget_commit(actor=actor, program=program, amount=cost * len(rows), seats=len(rows),
                          note=f"bulk approval of {len(rows)}")
    now = timezone.now()
    for start in range(0, len(rows), BATCH):
        chunk = [pk for pk, _h in rows[start:start + BATCH]]
        Enrollment.objects.filter(pk__in=chunk).update(
            state=EnrollmentState.APPROVED, committed_amount=cost, decided_at=now, updated_at=now)
    changes = {"program": str(program), "state": [EnrollmentState.VERIFIED, EnrollmentState.APPROVED],
               "committed_amount": cost}
    if acknowledge_warnings:
        changes["overlap_warning"] = str(_("peringatan tumpang tindih dikonfirmasi untuk seluruh kelompok"))
    _audit(actor, "enrollment.approve", rows, changes)
    result.done = len(rows)
    return result
