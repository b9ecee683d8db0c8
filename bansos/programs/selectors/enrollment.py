"""Reads behind the enrollment pages: a program's participants, one enrollment and its history,
the exact KK/NIK look-up an officer applies with, the programs a household can be nominated to,
and the rule runs and bulk jobs of the bulk page.

Officers cannot browse the registry: they reach a household that is not yet in their scope only by
typing its exact KK number or a member's exact NIK (``household_lookup``), and see it masked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from bansos.accounts.permissions import P, has_perm
from bansos.core.errors import NotFoundError
from bansos.core.models import AuditEvent
from bansos.eligibility.models import RuleRun, RunStatus
from bansos.programs.access import require_program
from bansos.programs.models import (
    ENROLLMENT_TRANSITIONS, OPEN_STATES, Enrollment, EnrollmentState, Participant, Program, ProgramStatus,
)
from bansos.registry.identifiers import clean_digits
from bansos.registry.models import Household, HouseholdStatus, Relation, Resident, ResidentStatus
from bansos.registry.names import name_key

ENROLLMENT_TYPE = Enrollment._meta.label_lower
PROGRAM_TYPE = Program._meta.label_lower
ACCEPTING = (ProgramStatus.OPEN, ProgramStatus.RUNNING)
# Bulk jobs leave two audit events on the program: one when queued for the worker, one with the outcome.
JOB_QUEUED = "enrollment.bulk_queued"
JOB_DONE = "enrollment.bulk_done"
# A queued job with no outcome after this long is shown as "unknown" and no longer blocks new jobs
# (a worker that was killed mid-job cannot write its outcome; the job's transaction was rolled back).
JOB_STALE_AFTER = dt.timedelta(hours=2)


def _prefix_range(field_name: str, prefix: str) -> Q:
    # A range on the upper-case key uses a plain B-tree index on both databases (see registry.selectors).
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": upper})


# --- The program and its participants --------------------------------------------------------------


def program_for_enrollment(*, user, program_id: int) -> Program:
    """The program whose participants ``user`` manages (own agency, or admin); 404 / 403 otherwise."""
    program = Program.objects.select_related("agency", "rule").filter(pk=program_id).first()
    if program is None:
        raise NotFoundError()
    require_program(user, P.ENROLLMENT_MANAGE, program)
    return program


@dataclass(frozen=True)
class EnrollmentFilters:
    q: str = ""
    state: str = ""


def _participant_filter(text: str) -> Q | None:
    """Enrollments whose household matches an exact/prefix KK or NIK, or a member's name prefix."""
    text = (text or "").strip()
    if not text:
        return None
    digits = re.sub(r"[\s.\-']", "", text)
    if digits.isdigit():
        if len(digits) < 4:
            return Q(pk__in=[])
        people = Resident.objects.filter(_prefix_range("nik", digits) if len(digits) < 16 else Q(nik=digits))
        kk = Q(household__kk_number=digits) if len(digits) == 16 else _prefix_range("household__kk_number", digits)
        return kk | Q(household_id__in=people.values("household_id"))
    key = name_key(text)
    if not key:
        return Q(pk__in=[])
    return Q(household_id__in=Resident.objects.filter(_prefix_range("name_key", key)).values("household_id"))


def enrollment_search(*, program: Program, filters: EnrollmentFilters) -> QuerySet[Enrollment]:
    """The program's enrollments matching the filters, newest application first."""
    qs = Enrollment.objects.filter(program=program)
    if filters.state:
        qs = qs.filter(state=filters.state)
    condition = _participant_filter(filters.q)
    if condition is not None:
        qs = qs.filter(condition)
    return qs.order_by("-applied_at", "-pk")


def enrollment_list_page(qs: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """What a list row shows: participant (head for household programs), RT/RW, decile; no N+1."""
    heads = Resident.objects.filter(relation=Relation.HEAD, status=ResidentStatus.ACTIVE)
    return (
        qs.select_related("household__rt__rw", "resident")
        .prefetch_related(Prefetch("household__residents", queryset=heads, to_attr="heads"))
        .annotate(decile=F("household__welfare__decile"))
    )


def enrollment_state_counts(*, program: Program) -> dict[str, int]:
    """Enrollments per state (every state present, zero when none), plus ``all``."""
    counts = {state: 0 for state in EnrollmentState.values}
    for row in Enrollment.objects.filter(program=program).values("state").annotate(n=Count("pk")).order_by():
        counts[row["state"]] = row["n"]
    counts["all"] = sum(counts.values())
    return counts


# --- One enrollment ---------------------------------------------------------------------------------


def enrollment_get(*, user, pk: int) -> Enrollment:
    """One enrollment with its program, household and participant; for managers of its program."""
    # Every member, as Household.head / active_members expect the whole prefetched set.
    members = Resident.objects.order_by("birth_date", "pk")
    enrollment = (
        Enrollment.objects.select_related("program__agency", "program__rule", "household__rt__rw", "resident",
                                          "applied_by")
        .prefetch_related(Prefetch("household__residents", queryset=members))
        .annotate(decile=F("household__welfare__decile"))
        .filter(pk=pk).first()
    )
    if enrollment is None:
        raise NotFoundError()
    require_program(user, P.ENROLLMENT_MANAGE, enrollment.program)
    return enrollment


def enrollment_history(*, enrollment: Enrollment, limit: int = 100) -> QuerySet[AuditEvent]:
    """The enrollment's audit events, newest first."""
    return (AuditEvent.objects.filter(object_type=ENROLLMENT_TYPE, object_id=str(enrollment.pk))
            .select_related("actor").order_by("-created_at", "-id")[:limit])


def enrollment_next_states(enrollment: Enrollment) -> list[str]:
    """The states this enrollment may move to, in workflow order."""
    allowed = ENROLLMENT_TRANSITIONS.get(enrollment.state, set())
    return [state for state in EnrollmentState.values if state in allowed]


# --- Look-up by exact KK number or NIK --------------------------------------------------------------

MIN_LOOKUP = 16


@dataclass
class Lookup:
    """What an exact KK/NIK look-up found for a program."""

    query: str
    household: Household | None = None
    matched_by: str = ""  # "kk" or "nik"
    members: list[Resident] = field(default_factory=list)
    open_enrollments: list[Enrollment] = field(default_factory=list)  # in this program, not finished
    problem: str = ""  # "format", "not_found", "inactive", "already"

    @property
    def enrolled_ids(self) -> set[int | None]:
        """Resident ids with an open enrollment (None: the household itself)."""
        return {e.resident_id for e in self.open_enrollments}

    @property
    def household_enrolled(self) -> bool:
        return None in self.enrolled_ids


def household_lookup(*, program: Program, text: str) -> Lookup:
    """The household with this exact KK number, or of the resident with this exact NIK.

    Deliberately not a search: no prefixes, no names, so an officer learns nothing about
    households whose number they do not already hold. The caller checks ENROLLMENT_MANAGE.
    """
    digits = clean_digits(text or "")
    found = Lookup(query=digits)
    if len(digits) != MIN_LOOKUP or not digits.isdigit():
        found.problem = "format"
        return found
    households = list(Household.objects.select_related("rt__rw").filter(kk_number=digits).order_by("pk"))
    # The active household first when a KK number was reused after a family moved away.
    active = [h for h in households if h.status == HouseholdStatus.ACTIVE]
    chosen = (active or households or [None])[0]
    if chosen is not None:
        found.matched_by = "kk"
    else:
        person = (Resident.objects.filter(nik=digits, status=ResidentStatus.ACTIVE).select_related("household__rt__rw")
                  .first())
        if person is not None:
            chosen, found.matched_by = person.household, "nik"
    if chosen is None:
        found.problem = "not_found"
        return found
    found.household = chosen
    if chosen.status != HouseholdStatus.ACTIVE:
        found.problem = "inactive"
        return found
    found.members = list(Resident.objects.filter(household=chosen, status=ResidentStatus.ACTIVE)
                         .order_by("birth_date", "pk"))
    found.open_enrollments = list(Enrollment.objects.filter(program=program, household=chosen, state__in=OPEN_STATES)
                                  .select_related("resident").order_by("pk"))
    if program.participant == Participant.HOUSEHOLD:
        taken = found.household_enrolled
    else:
        taken = bool(found.members) and all(m.pk in found.enrolled_ids for m in found.members)
    if taken:
        found.problem = "already"
    return found


def rule_check(*, program: Program, household: Household) -> dict[str, Any] | None:
    """The program's rule explained for the household (None when the program has no rule)."""
    if program.rule_id is None:
        return None
    from bansos.eligibility.selectors import rule_explanation

    return rule_explanation(rule=program.rule, household=household)


# --- Nomination by an RT/RW officer -----------------------------------------------------------------


def household_for_nomination(*, user, household_id: int) -> Household:
    """A household the user may nominate (surveyor: own area; admin: any); 404 otherwise."""
    household = Household.objects.select_related("rt__rw").filter(pk=household_id).first()
    if household is None or not has_perm(user, P.ENROLLMENT_NOMINATE, household):
        raise NotFoundError()
    return household


def nomination_programs(*, household: Household) -> list[dict[str, Any]]:
    """Programs accepting participants, each with whether the household (or which members) is in it."""
    programs = list(Program.objects.filter(status__in=ACCEPTING).select_related("agency").order_by("name", "pk"))
    open_rows = Enrollment.objects.filter(household=household, state__in=OPEN_STATES,
                                          program__in=programs).values_list("program_id", "resident_id")
    taken: dict[int, set[int | None]] = {}
    for program_id, resident_id in open_rows:
        taken.setdefault(program_id, set()).add(resident_id)
    return [{"program": p, "taken": taken.get(p.pk, set()),
             "household_taken": p.participant == Participant.HOUSEHOLD and p.pk in taken}
            for p in programs]


def household_members(*, household: Household) -> list[Resident]:
    return list(Resident.objects.filter(household=household, status=ResidentStatus.ACTIVE).order_by("birth_date", "pk"))


# --- Bulk page ---------------------------------------------------------------------------------------


def program_done_runs(*, program: Program, limit: int = 20) -> list[RuleRun]:
    """Finished runs of the program's rule, newest first."""
    if program.rule_id is None:
        return []
    return list(RuleRun.objects.filter(rule_id=program.rule_id, status=RunStatus.DONE)
                .select_related("version").order_by("-pk")[:limit])


def program_done_run(*, program: Program, run_id) -> RuleRun | None:
    try:
        run_id = int(run_id)
    except (TypeError, ValueError):
        return None
    if program.rule_id is None:
        return None
    return RuleRun.objects.select_related("version", "rule").filter(
        pk=run_id, rule_id=program.rule_id, status=RunStatus.DONE).first()


def bulk_waiting(*, program: Program) -> dict[str, int]:
    """How many applications wait for the desk check, and how many verified ones for a decision."""
    rows = dict(Enrollment.objects.filter(program=program, state__in=[EnrollmentState.APPLIED,
                                                                     EnrollmentState.VERIFIED])
                .values("state").annotate(n=Count("pk")).order_by().values_list("state", "n"))
    return {"applied": rows.get(EnrollmentState.APPLIED, 0), "verified": rows.get(EnrollmentState.VERIFIED, 0)}


def approval_room(*, program: Program) -> int | None:
    """How many more participants the remaining budget and places allow (None: no limit)."""
    return program.approval_room


@dataclass
class BulkJob:
    """A bulk step as its audit events tell it."""

    job: str
    step: str
    queued_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    actor: str = ""
    count: int | None = None  # the batch size when it was started
    status: str = "pending"  # pending, done, failed, stale
    done: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    error: str = ""
    background: bool = False
    note: str = ""

    @property
    def pending(self) -> bool:
        return self.status == "pending"

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def bulk_jobs(*, program: Program, limit: int = 10) -> list[BulkJob]:
    """The program's latest bulk jobs, newest first, each with its outcome once there is one."""
    events = list(AuditEvent.objects.filter(object_type=PROGRAM_TYPE, object_id=str(program.pk),
                                            action__in=[JOB_QUEUED, JOB_DONE])
                  .order_by("-created_at", "-id")[: limit * 2])
    jobs: dict[str, BulkJob] = {}
    now = timezone.now()
    for event in reversed(events):  # oldest first, so the outcome lands on its queued job
        data = event.changes or {}
        key = str(data.get("job") or event.pk)
        job = jobs.setdefault(key, BulkJob(job=key, step=str(data.get("step", ""))))
        job.actor = job.actor or event.actor_name
        if event.action == JOB_QUEUED:
            job.queued_at, job.background = event.created_at, True
            job.count = data.get("count")
            job.note = event.reason
        else:
            job.finished_at = event.created_at
            job.queued_at = job.queued_at or event.created_at
            job.status = data.get("status", "done")
            job.done = int(data.get("done") or 0)
            job.skipped = {str(k): int(v) for k, v in (data.get("skipped") or {}).items()}
            job.error = str(data.get("error") or "")
            if job.count is None:
                job.count = data.get("count")
            job.note = job.note or event.reason
    for job in jobs.values():
        if job.pending and job.queued_at and now - job.queued_at > JOB_STALE_AFTER:
            job.status = "stale"
    ordered = sorted(jobs.values(), key=lambda j: j.queued_at or now, reverse=True)
    return ordered[:limit]


def bulk_job_pending(*, program: Program) -> BulkJob | None:
    return next((job for job in bulk_jobs(program=program) if job.pending), None)
