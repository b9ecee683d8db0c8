"""Reads of the community pages and API: the beneficiary list, case queues, a resident's own cases, proposals.

The beneficiary list reads names through one query per RW and program set (names masked here, never
leaving this module unmasked); queues and lists select their relations up front (no N+1).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from bansos.accounts.models import Role
from bansos.community.access import case_scope, is_resident
from bansos.community.masking import mask_name
from bansos.community.models import Audience, Nomination, Objection, Proposal, ProposalStatus, ProposalVote
from bansos.community.services.listing import listing_settings
from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.core.models import RW
from bansos.programs.models import Enrollment, EnrollmentState, Program
from bansos.registry.models import Relation, Resident, ResidentStatus

# Beneficiaries shown on the list: admitted and receiving (a suspended one is under review, not listed).
LISTED_STATES = (EnrollmentState.APPROVED, EnrollmentState.ACTIVE)


# --- the beneficiary list -----------------------------------------------------------------------------

def listed_programs():
    """Programs on the list: chosen by the admin and of an agency that agreed."""
    settings = listing_settings()
    if not settings.enabled:
        return Program.objects.none()
    return (settings.programs.filter(agency__in=settings.consenting_agencies.all())
            .select_related("agency").order_by("name", "pk"))


def can_view_listing(user, rw: RW) -> bool:
    """Public mode: anyone. Residents mode: a signed-in resident its own RW only; staff every RW."""
    settings = listing_settings()
    if not settings.enabled:
        return False
    if settings.audience == Audience.PUBLIC:
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.RESIDENT:
        return is_resident(user) and user.household.rt.rw_id == rw.pk
    return True


def rw_get(number: int) -> RW:
    rw = RW.objects.filter(number=number).first()
    if rw is None:
        raise NotFoundError()
    return rw


def beneficiary_list(*, user, rw: RW, program_id: int | None = None) -> list[dict[str, Any]]:
    """Per listed program: entries ``{"id", "name", "rt"}`` with the name masked and the RT only."""
    if not can_view_listing(user, rw):
        raise PermissionDeniedError()
    settings = listing_settings()
    programs = list(listed_programs())
    if program_id is not None:
        programs = [p for p in programs if p.pk == program_id]
    if not programs:
        return []
    rows = (Enrollment.objects.filter(program__in=programs, state__in=LISTED_STATES, household__rt__rw=rw)
            .values_list("pk", "program_id", "resident__full_name", "household_id", "household__rt__number")
            .order_by("household__rt__number", "pk"))
    rows = list(rows)
    # A household's name on the list is its head's (one query for every household at once).
    need_head = {household_id for _pk, _prog, name, household_id, _rt in rows if not name}
    heads = dict(Resident.objects.filter(household_id__in=need_head, relation=Relation.HEAD,
                                         status=ResidentStatus.ACTIVE).values_list("household_id", "full_name"))
    by_program: dict[int, list[dict[str, Any]]] = {p.pk: [] for p in programs}
    for pk, prog, name, household_id, rt in rows:
        by_program[prog].append({"id": pk, "name": mask_name(name or heads.get(household_id, ""), settings.masking),
                                 "rt": rt})
    return [{"program": p, "entries": by_program[p.pk]} for p in programs]


def listed_enrollment(*, pk: int) -> Enrollment:
    """An enrollment that is on the list today (the only ones a resident may object to)."""
    enrollment = (Enrollment.objects.select_related("program", "household__rt")
                  .filter(pk=pk, state__in=LISTED_STATES, program__in=listed_programs()).first())
    if enrollment is None:
        raise NotFoundError()
    return enrollment


# --- nominations and objections -----------------------------------------------------------------------

def nomination_queue(*, user, status: str = ""):
    qs = (Nomination.objects.filter(case_scope(user))
          .select_related("program__agency", "household__rt__rw", "field_by", "decided_by"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def objection_queue(*, user, status: str = "", findings: bool = False):
    qs = (Objection.objects.filter(case_scope(user))
          .select_related("program__agency", "household__rt__rw", "enrollment", "field_by", "decided_by"))
    if status:
        qs = qs.filter(status=status)
    if findings:
        qs = qs.filter(outcome="finding", finding_closed_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def nomination_get(*, user, pk: int) -> Nomination:
    case = nomination_queue(user=user).select_related("nominated_by", "enrollment").filter(pk=pk).first()
    if case is None:
        if Nomination.objects.filter(pk=pk).exists():
            raise PermissionDeniedError()
        raise NotFoundError()
    return case


def objection_get(*, user, pk: int) -> Objection:
    case = objection_queue(user=user).select_related("objector").filter(pk=pk).first()
    if case is None:
        if Objection.objects.filter(pk=pk).exists():
            raise PermissionDeniedError()
        raise NotFoundError()
    return case


def my_nominations(*, user):
    return (Nomination.objects.filter(nominated_by=user).select_related("program", "household")
            .order_by("-created_at", "-pk"))


def my_objections(*, user):
    return Objection.objects.filter(objector=user).select_related("program").order_by("-created_at", "-pk")


def nominable_programs():
    """Programs a resident may nominate a household for: those accepting applications."""
    from bansos.programs.services.enrollment import ACCEPTING

    return Program.objects.filter(status__in=ACCEPTING).select_related("agency").order_by("name", "pk")


# --- youth proposals -------------------------------------------------------------------------------------

def proposal_list(*, status: str = "", rw: int | None = None):
    qs = Proposal.objects.select_related("rw", "program")
    if status:
        qs = qs.filter(status=status)
    if rw:
        qs = qs.filter(rw__number=rw)
    return qs.order_by("-support_count", "-created_at", "-pk")


def proposal_get(*, pk: int) -> Proposal:
    proposal = Proposal.objects.select_related("rw", "program").filter(pk=pk).first()
    if proposal is None:
        raise NotFoundError()
    return proposal


def has_supported(*, user, proposal: Proposal) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return ProposalVote.objects.filter(Q(voter=user) | Q(voter_resident_id=user.resident_id or -1),
                                       proposal=proposal).exists()


def review_queue():
    return proposal_list().filter(status__in=(ProposalStatus.SUBMITTED, ProposalStatus.REVIEWING))
