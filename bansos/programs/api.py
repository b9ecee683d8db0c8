"""Programs API: the catalog, funding, enrollments (one by one and in bulk), referrals, overlap policies.

Operations look objects up, hand typed input to one service and render the result; permission
checks, the budget guarantee, overlap policies and audit events are the services' business,
shared with the pages. A caller without the right to an operation is refused before any id it
sent is looked up, so refusals never tell whether a household or a rule run exists.
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router


from bansos.accounts.models import Agency, Role
from bansos.accounts.permissions import P, has_perm, has_role_perm, require
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from bansos.core.formats import mask_nik
from bansos.eligibility.models import EligibilityRule, RuleRun
from bansos.programs.access import can_program, can_see_program_details, require_program
from bansos.programs.models import (
    Enrollment, EnrollmentState, FundingSource, OverlapPolicy, Program, ProgramKind, ProgramStatus, Referral,
    ReferralStatus, TargetGroup,
)
from bansos.programs.schemas import (
    AllocationIn, AllocationOut, ApplyChannel, BulkApplyIn, BulkApproveIn, BulkPreviewOut, BulkResultOut,
    BulkVerifyIn, EnrollmentApplyIn, EnrollmentOut, EnrollmentPage, EnrollmentTransitionIn, FundingSourceIn,
    FundingSourceOut, OverlapPolicyIn, OverlapPolicyOut, ProgramCreateIn, ProgramOut, ProgramPage,
    ProgramReferralOut, ProgramStatusIn, ProgramUpdateIn, ReferralAnswerIn, ReferralSendIn,
)
from bansos.programs.services import bulk, enrollment, funding, overlap, programs, referrals
from bansos.registry.models import Household, Relation, Resident, ResidentStatus

router = Router(tags=["programs"])

PAGE_SIZE_DEFAULT = 25
PAGE_SIZE_MAX = 100

MSG_AGENCY_UNKNOWN = _("Lembaga tidak ditemukan.")
MSG_RULE_UNKNOWN = _("Aturan kelayakan tidak ditemukan.")
MSG_SOURCE_UNKNOWN = _("Sumber dana tidak ditemukan.")
MSG_HOUSEHOLD_UNKNOWN = _("Keluarga tidak ditemukan.")
MSG_PROGRAM_UNKNOWN = _("Program tidak ditemukan.")
MSG_RUN_UNKNOWN = _("Hasil penilaian aturan tidak ditemukan.")


def _pages(total: int, page_size: int) -> int:
    return math.ceil(total / page_size)


def _lookup(model_qs, pk: int | None, field: str, message):
    """An object named in the body, or a field error (a wrong id in a body is bad input, not a 404)."""
    if pk is None:
        return None
    found = model_qs.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed({field: [str(message)]})
    return found


# --- Programs -----------------------------------------------------------------------------------


def _visible_programs(user):
    """Staff with the catalog permission see every program; others (residents) the published ones."""
    qs = Program.objects.select_related("agency")
    if has_role_perm(user, P.PROGRAM_VIEW):
        return qs
    return qs.exclude(status=ProgramStatus.DRAFT)


def _program_get(user, pk: int) -> Program:
    program = _visible_programs(user).filter(pk=pk).first()
    if program is None:
        raise NotFoundError()
    return program


def budget_out(program: Program) -> dict[str, Any]:
    return {
        "allocated": program.budget_allocated, "committed": program.budget_committed,
        "disbursed": program.budget_disbursed, "remaining": program.budget_remaining,
        "cost_per_participant": program.cost_per_participant, "seats_taken": program.seats_taken,
        "seats_remaining": program.seats_remaining,
    }


def _agency_out(agency: Agency | None) -> dict[str, Any] | None:
    return None if agency is None else {"id": agency.pk, "name": agency.name, "kind": agency.kind}


def program_out(user, program: Program) -> dict[str, Any]:
    staff = has_role_perm(user, P.PROGRAM_VIEW)
    return {
        "id": program.pk, "name": program.name, "kind": program.kind, "agency": _agency_out(program.agency),
        "description": program.description, "target_groups": list(program.target_groups),
        "participant": program.participant, "benefit_kind": program.benefit_kind,
        "benefit_description": program.benefit_description, "benefit_amount": program.benefit_amount,
        "benefit_periods": program.benefit_periods, "start_date": program.start_date,
        "end_date": program.end_date, "capacity": program.capacity, "status": program.status,
        "rule_id": program.rule_id if staff else None,
        "budget": budget_out(program) if staff else None,
        "manageable": can_program(user, P.PROGRAM_MANAGE, program),
    }


def _rule(pk: int | None):
    return _lookup(EligibilityRule.objects.all(), pk, "rule", MSG_RULE_UNKNOWN)


@router.get("/programs", response={200: ProgramPage, **ERROR_RESPONSES}, operation_id="program_list",
            summary="The catalog: every agency's programs")
def program_list(
    request,
    q: str = Query("", max_length=100, description="Words of the name or the agency"),
    kind: ProgramKind | None = Query(None),
    status: ProgramStatus | None = Query(None),
    agency: int | None = Query(None, description="Agency id"),
    target_group: TargetGroup | None = Query(None),
    page: int = Query(1, ge=1),
    page_size: int = Query(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX),
):
    """Public fields for everyone signed in (residents: published programs only); budget figures for staff."""
    user = request.auth
    qs = _visible_programs(user)
    for word in q.split():
        qs = qs.filter(Q(name__icontains=word) | Q(agency__name__icontains=word))
    if kind is not None:
        qs = qs.filter(kind=kind.value)
    if status is not None:
        qs = qs.filter(status=status.value)
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    if target_group is not None:
        # JSON containment differs between the databases; the catalog is small, so filter in Python.
        ids = [pk for pk, groups in qs.values_list("pk", "target_groups") if target_group.value in (groups or [])]
        qs = qs.filter(pk__in=ids)
    total = qs.count()
    start = (page - 1) * page_size
    rows = list(qs[start:start + page_size]) if start < total else []
    return {"items": [program_out(user, p) for p in rows], "total": total, "page": page, "page_size": page_size,
            "pages": _pages(total, page_size)}


@router.post("/programs", response={201: ProgramOut, **ERROR_RESPONSES}, operation_id="program_create",
             summary="Create a program in draft (officers: for their own agency)")
def program_create(request, payload: ProgramCreateIn):
    user = request.auth
    if not has_role_perm(user, P.PROGRAM_MANAGE):
        raise PermissionDeniedError()
    data = payload.dict()
    data["agency"] = _lookup(Agency.objects.all(), data["agency"], "agency", MSG_AGENCY_UNKNOWN)
    data["rule"] = _rule(data["rule"])
    data["target_groups"] = [g.value for g in payload.target_groups]
    for name in ("kind", "participant", "benefit_kind"):
        data[name] = getattr(payload, name).value if getattr(payload, name) is not None else None
    program = programs.program_create(actor=user, data=data)
    return Status(201, program_out(user, _program_get(user, program.pk)))


@router.get("/programs/{int:program_id}",
            response={200: ProgramOut, **ERROR_RESPONSES}, operation_id="program_read",
            summary="One program of the catalog")
def program_read(request, program_id: int):
    return program_out(request.auth, _program_get(request.auth, program_id))


@router.patch("/programs/{int:program_id}", response={200: ProgramOut, **ERROR_RESPONSES},
              operation_id="program_update", summary="Change a program's fields (those sent; never its agency)")
def program_update(request, program_id: int, payload: ProgramUpdateIn):
    user = request.auth
    program = _program_get(user, program_id)
    require_program(user, P.PROGRAM_MANAGE, program)
    data: dict[str, Any] = {
        "name": program.name, "kind": program.kind, "description": program.description,
        "target_groups": list(program.target_groups), "rule": program.rule, "participant": program.participant,
        "benefit_kind": program.benefit_kind, "benefit_description": program.benefit_description,
        "benefit_amount": program.benefit_amount, "benefit_periods": program.benefit_periods,
        "start_date": program.start_date, "end_date": program.end_date, "capacity": program.capacity,
    }
    for name, value in payload.dict(exclude_unset=True).items():
        if name == "rule":
            value = _rule(value)
        elif name == "target_groups":
            value = [getattr(g, "value", g) for g in value or []]
        elif hasattr(value, "value"):
            value = value.value
        elif value is None and name in ("name", "description", "benefit_description"):
            value = ""
        data[name] = value
    programs.program_update(actor=user, program=program, data=data)
    return program_out(user, _program_get(user, program_id))


@router.post("/programs/{int:program_id}/status", response={200: ProgramOut, **ERROR_RESPONSES},
             operation_id="program_set_status", summary="Open, run, close (or back to draft) a program")
def program_set_status(request, program_id: int, payload: ProgramStatusIn):
    user = request.auth
    program = _program_get(user, program_id)
    programs.program_status_set(actor=user, program=program, status=payload.status.value, reason=payload.reason)
    return program_out(user, _program_get(user, program_id))


# --- Funding ------------------------------------------------------------------------------------


def _source_out(source: FundingSource) -> dict[str, Any]:
    return {"id": source.pk, "name": source.name, "kind": source.kind, "agency": _agency_out(source.agency),
            "shared": source.shared, "fiscal_year": source.fiscal_year, "amount": source.amount,
            "allocated": source.allocated, "available": source.available, "note": source.note}


@router.get("/programs/funding-sources", response={200: list[FundingSourceOut], **ERROR_RESPONSES},
            operation_id="funding_source_list", summary="Funding sources (officers: those they may draw on)")
def funding_source_list(request, fiscal_year: int | None = Query(None, ge=2000, le=2100)):
    """The admin sees every source; an officer the shared ones and its own agency's, to allocate from."""
    user = request.auth
    qs = FundingSource.objects.select_related("agency")
    if not has_role_perm(user, P.FUNDING_MANAGE):
        if not has_role_perm(user, P.PROGRAM_MANAGE) or user.role != Role.OFFICER:
            raise PermissionDeniedError()
        qs = qs.filter(Q(shared=True) | Q(agency_id=user.agency_id))
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    return [_source_out(s) for s in qs]


@router.post("/programs/funding-sources", response={201: FundingSourceOut, **ERROR_RESPONSES},
             operation_id="funding_source_create", summary="Record a funding source (kelurahan admin)")
def funding_source_create(request, payload: FundingSourceIn):
    user = request.auth
    require(user, P.FUNDING_MANAGE)
    data = payload.dict()
    data["kind"] = payload.kind.value
    data["agency"] = _lookup(Agency.objects.all(), data["agency"], "agency", MSG_AGENCY_UNKNOWN)
    source = funding.funding_source_create(actor=user, data=data)
    return Status(201, _source_out(FundingSource.objects.select_related("agency").get(pk=source.pk)))


@router.post("/programs/{int:program_id}/allocations", response={201: AllocationOut, **ERROR_RESPONSES},
             operation_id="funding_allocate", summary="Move money from a funding source to the program (or back)")
def funding_allocate(request, program_id: int, payload: AllocationIn):
    user = request.auth
    program = _program_get(user, program_id)
    require_program(user, P.PROGRAM_MANAGE, program)
    source = _lookup(FundingSource.objects.all(), payload.source, "source", MSG_SOURCE_UNKNOWN)
    allocation = funding.funding_allocate(actor=user, source=source, program=program, amount=payload.amount,
                                          note=payload.note)
    program.refresh_from_db()
    return Status(201, {"id": allocation.pk, "source_id": source.pk, "program_id": program.pk,
                        "amount": allocation.amount, "note": allocation.note, "created_at": allocation.created_at,
                        "budget": budget_out(program)})


# --- Enrollments --------------------------------------------------------------------------------


def _enrollments():
    heads = Resident.objects.filter(relation=Relation.HEAD, status=ResidentStatus.ACTIVE)
    return Enrollment.objects.select_related("household__rt__rw", "resident").prefetch_related(
        Prefetch("household__residents", queryset=heads, to_attr="heads"))


def enrollment_out(user, item: Enrollment) -> dict[str, Any]:
    household = item.household
    person = item.resident
    if person is None:
        heads = getattr(household, "heads", None)
        person = heads[0] if heads else household.head
    nik = person.nik if person is not None else None
    if nik is not None and not has_perm(user, P.NIK_FULL, household):
        nik = mask_nik(nik)
    return {
        "id": item.pk, "program_id": item.program_id, "household_id": household.pk,
        "kk_number": household.kk_number, "resident_id": item.resident_id,
        "participant_name": person.full_name if person is not None else "", "nik": nik,
        "rw": household.rt.rw.number, "rt": household.rt.number, "state": item.state, "channel": item.channel,
        "committed_amount": item.committed_amount, "disbursed_amount": item.disbursed_amount,
        "verification_note": item.verification_note, "reason": item.reason, "applied_at": item.applied_at,
        "verified_at": item.verified_at, "decided_at": item.decided_at, "started_at": item.started_at,
        "ended_at": item.ended_at,
    }


def _enrollment_get(pk: int) -> Enrollment:
    item = _enrollments().select_related("program").filter(pk=pk).first()
    if item is None:
        raise NotFoundError()
    return item


def _enrollment_read(user, pk: int) -> dict[str, Any]:
    return enrollment_out(user, _enrollment_get(pk))


@router.get("/programs/{int:program_id}/enrollments", response={200: EnrollmentPage, **ERROR_RESPONSES},
            operation_id="enrollment_list", summary="The program's applicants and participants")
def enrollment_list(
    request, program_id: int,
    state: EnrollmentState | None = Query(None),
    page: int = Query(1, ge=1),
    page_size: int = Query(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX),
):
    """For the program's own agency and the kelurahan admin; NIKs masked unless the caller may see them."""
    user = request.auth
    program = _program_get(user, program_id)
    require_program(user, P.ENROLLMENT_MANAGE, program)
    counts = dict(Enrollment.objects.filter(program=program).order_by().values("state").annotate(n=Count("pk"))
                  .values_list("state", "n"))
    qs = Enrollment.objects.filter(program=program)
    if state is not None:
        qs = qs.filter(state=state.value)
    total = qs.count()
    start = (page - 1) * page_size
    ids = list(qs.values_list("pk", flat=True)[start:start + page_size]) if start < total else []
    rows = _enrollments().filter(pk__in=ids).order_by("-applied_at", "-pk")
    return {"items": [enrollment_out(user, e) for e in rows],
            "counts": {s: counts.get(s, 0) for s in EnrollmentState.values},
            "total": total, "page": page, "page_size": page_size, "pages": _pages(total, page_size)}


def _require_apply_right(user, channel: ApplyChannel, program: Program) -> None:
    """The role part of the services' check, made before any household id is looked up."""
    if channel == ApplyChannel.RESIDENT:
        ok = user.role == Role.RESIDENT
    elif channel == ApplyChannel.NOMINATION:
        ok = has_role_perm(user, P.ENROLLMENT_NOMINATE) or can_program(user, P.ENROLLMENT_MANAGE, program)
    else:
        ok = can_program(user, P.ENROLLMENT_MANAGE, program)
    if not ok:
        raise PermissionDeniedError()


def _member(household: Household, pk: int | None, field: str = "resident"):
    """A member of ``household`` named in the body; another household's member reads as not a member."""
    return _lookup(Resident.objects.filter(household=household), pk, field, enrollment.MSG_RESIDENT_OUTSIDE)


@router.post("/programs/{int:program_id}/enrollments", response={201: EnrollmentOut, **ERROR_RESPONSES},
             operation_id="enrollment_apply", summary="Apply a household (or one member) to the program")
def enrollment_apply(request, program_id: int, payload: EnrollmentApplyIn):
    """Staff of the program apply anyone; RT/RW officers nominate households of their area; residents
    apply for their own household."""
    user = request.auth
    program = _program_get(user, program_id)
    _require_apply_right(user, payload.channel, program)
    household = _lookup(Household.objects.all(), payload.household, "household", MSG_HOUSEHOLD_UNKNOWN)
    resident = _member(household, payload.resident)
    item = enrollment.enrollment_apply(actor=user, program=program, household=household, resident=resident,
                                       channel=payload.channel.value, note=payload.note)
    return Status(201, _enrollment_read(user, item.pk))


@router.get("/programs/enrollments/{int:enrollment_id}", response={200: EnrollmentOut, **ERROR_RESPONSES},
            operation_id="enrollment_read", summary="One enrollment")
def enrollment_read(request, enrollment_id: int):
    user = request.auth
    item = _enrollment_get(enrollment_id)
    require_program(user, P.ENROLLMENT_MANAGE, item.program)
    return enrollment_out(user, item)


@router.post("/programs/enrollments/{int:enrollment_id}/transition",
             response={200: EnrollmentOut, **ERROR_RESPONSES},
             operation_id="enrollment_transition",
             summary="Verify, approve, reject, start, suspend, resume, graduate or exit an enrollment")
def enrollment_transition(request, enrollment_id: int, payload: EnrollmentTransitionIn):
    """Refusals answer with the service's code: ``enrollment_transition``, ``reason_required``,
    ``budget_exhausted``, ``capacity_full``, ``overlap_forbidden``, ``overlap_warning`` (send again with
    ``acknowledge_warnings``), ``program_not_open``."""
    user = request.auth
    item = _enrollment_get(enrollment_id)
    enrollment.enrollment_transition(actor=user, enrollment=item, to=payload.to.value, reason=payload.reason,
                                     acknowledge_warnings=payload.acknowledge_warnings)
    return _enrollment_read(user, enrollment_id)


def _bulk_program(user, program_id: int) -> Program:
    program = _program_get(user, program_id)
    require_program(user, P.ENROLLMENT_MANAGE, program)
    return program


def _run(pk: int) -> RuleRun:
    return _lookup(RuleRun.objects.all(), pk, "run", MSG_RUN_UNKNOWN)


def _bulk_out(result) -> dict[str, Any]:
    return {"done": result.done, "skipped": dict(result.skipped)}


@router.get("/programs/{int:program_id}/enrollments/bulk-preview",
            response={200: BulkPreviewOut, **ERROR_RESPONSES},
            operation_id="enrollment_bulk_preview", summary="What a bulk application from a rule run would do")
def enrollment_bulk_preview(request, program_id: int, run: int = Query(..., description="Rule run id")):
    user = request.auth
    program = _bulk_program(user, program_id)
    return bulk.enrollment_bulk_preview(actor=user, program=program, run=_run(run))


@router.post("/programs/{int:program_id}/enrollments/bulk-apply",
             response={200: BulkResultOut, **ERROR_RESPONSES},
             operation_id="enrollment_bulk_apply",
             summary="Apply every household a finished run of the program's rule found eligible")
def enrollment_bulk_apply(request, program_id: int, payload: BulkApplyIn):
    """Synchronous: the whole batch in one transaction (about 100,000 households in a few seconds)."""
    user = request.auth
    program = _bulk_program(user, program_id)
    return _bulk_out(bulk.enrollment_bulk_apply(actor=user, program=program, run=_run(payload.run)))


@router.post("/programs/{int:program_id}/enrollments/bulk-verify",
             response={200: BulkResultOut, **ERROR_RESPONSES},
             operation_id="enrollment_bulk_verify", summary="Record one desk check for many applications")
def enrollment_bulk_verify(request, program_id: int, payload: BulkVerifyIn):
    user = request.auth
    program = _bulk_program(user, program_id)
    return _bulk_out(bulk.enrollment_bulk_verify(actor=user, program=program, note=payload.note, ids=payload.ids))


@router.post("/programs/{int:program_id}/enrollments/bulk-approve",
             response={200: BulkResultOut, **ERROR_RESPONSES},
             operation_id="enrollment_bulk_approve",
             summary="Approve verified applications, poorest first, while budget and places last")
def enrollment_bulk_approve(request, program_id: int, payload: BulkApproveIn):
    user = request.auth
    program = _bulk_program(user, program_id)
    return _bulk_out(bulk.enrollment_bulk_approve(actor=user, program=program,
                                                  acknowledge_warnings=payload.acknowledge_warnings,
                                                  ids=payload.ids))


# --- Referrals ----------------------------------------------------------------------------------


def _program_ref(user, program: Program | None, *, details: bool) -> dict[str, Any] | None:
    if program is None:
        return None
    if details:
        return {"id": program.pk, "kind": program.kind, "name": program.name, "agency": program.agency.name}
    return {"id": None, "kind": program.kind, "name": None, "agency": None}


def referral_out(user, referral: Referral) -> dict[str, Any]:
    # The sending program is one the family receives: another agency's shows only its kind. The
    # receiving program is the caller's own, or the one the caller's agency chose to refer to.
    from_details = referral.from_program is not None and can_see_program_details(user, referral.from_program)
    return {
        "id": referral.pk, "household_id": referral.household_id, "kk_number": referral.household.kk_number,
        "resident_id": referral.resident_id,
        "from_program": _program_ref(user, referral.from_program, details=from_details),
        "to_program": _program_ref(user, referral.to_program, details=True),
        "status": referral.status, "note": referral.note, "response": referral.response,
        "enrollment_id": referral.enrollment_id, "created_at": referral.created_at,
        "updated_at": referral.updated_at,
    }


def _referrals_for(user):
    qs = Referral.objects.select_related("household", "from_program__agency", "to_program__agency")
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(Q(to_program__agency_id=user.agency_id) | Q(from_program__agency_id=user.agency_id))


@router.get("/programs/referrals", response={200: list[ProgramReferralOut], **ERROR_RESPONSES},
            operation_id="referral_list", summary="Referrals to and from the caller's programs, newest first")
def referral_list(
    request,
    direction: str = Query("all", pattern="^(in|out|all)$",
                           description="in: to the caller's agency; out: from it (the admin: every referral)"),
    status: ReferralStatus | None = Query(None),
    limit: int = Query(50, ge=1, le=200),
):
    user = request.auth
    require(user, P.REFERRAL_MANAGE)
    qs = _referrals_for(user)
    if user.role != Role.ADMIN and direction == "in":
        qs = qs.filter(to_program__agency_id=user.agency_id)
    elif user.role != Role.ADMIN and direction == "out":
        qs = qs.filter(from_program__agency_id=user.agency_id)
    if status is not None:
        qs = qs.filter(status=status.value)
    return [referral_out(user, r) for r in qs[:limit]]


def _referral_get(user, pk: int) -> Referral:
    referral = _referrals_for(user).filter(pk=pk).first()
    if referral is None:
        raise NotFoundError()
    return referral


@router.post("/programs/referrals",
             response={201: ProgramReferralOut, **ERROR_RESPONSES}, operation_id="referral_send",
             summary="Refer a household from one of the caller's programs to another program")
def referral_send(request, payload: ReferralSendIn):
    user = request.auth
    require(user, P.REFERRAL_MANAGE)
    programs_qs = Program.objects.select_related("agency")
    from_program = _lookup(programs_qs, payload.from_program, "from_program", MSG_PROGRAM_UNKNOWN)
    if from_program is not None:
        # Checked before the household is looked up, so a refused caller learns nothing about it.
        require_program(user, P.REFERRAL_MANAGE, from_program)
    elif user.role != Role.ADMIN:
        raise PermissionDeniedError()
    to_program = _lookup(programs_qs, payload.to_program, "to_program", MSG_PROGRAM_UNKNOWN)
    household = _lookup(Household.objects.all(), payload.household, "household", MSG_HOUSEHOLD_UNKNOWN)
    resident = _member(household, payload.resident)
    referral = referrals.referral_send(actor=user, household=household, to_program=to_program,
                                       from_program=from_program, resident=resident, note=payload.note)
    return Status(201, referral_out(user, _referral_get(user, referral.pk)))


@router.post("/programs/referrals/{int:referral_id}/answer", response={200: ProgramReferralOut, **ERROR_RESPONSES},
             operation_id="referral_answer",
             summary="Accept, decline (reason required) or enrol a referral to the caller's program")
def referral_answer(request, referral_id: int, payload: ReferralAnswerIn):
    user = request.auth
    require(user, P.REFERRAL_MANAGE)
    referral = _referral_get(user, referral_id)
    require_program(user, P.REFERRAL_MANAGE, referral.to_program)
    if payload.action == "accept":
        referrals.referral_accept(actor=user, referral=referral, response=payload.response)
    elif payload.action == "decline":
        referrals.referral_decline(actor=user, referral=referral, response=payload.response)
    else:
        resident = _member(referral.household, payload.resident)
        referrals.referral_enroll(actor=user, referral=referral, resident=resident, note=payload.response)
    return referral_out(user, _referral_get(user, referral_id))


# --- Overlap policies ---------------------------------------------------------------------------


def _policy_out(policy: OverlapPolicy) -> dict[str, Any]:
    return {"id": policy.pk, "kind_a": policy.kind_a, "kind_b": policy.kind_b, "effect": policy.effect,
            "same_period": policy.same_period, "note": policy.note, "is_active": policy.is_active}


@router.get("/programs/overlap-policies", response={200: list[OverlapPolicyOut], **ERROR_RESPONSES},
            operation_id="overlap_policy_list", summary="The kelurahan's rules on combinations of program kinds")
def overlap_policy_list(request):
    require(request.auth, P.OVERLAP_POLICY_MANAGE)
    return [_policy_out(p) for p in OverlapPolicy.objects.all()]


@router.post("/programs/overlap-policies", response={201: OverlapPolicyOut, **ERROR_RESPONSES},
             operation_id="overlap_policy_create",
             summary="Forbid or warn when a household would receive two kinds of program at once")
def overlap_policy_create(request, payload: OverlapPolicyIn):
    user = request.auth
    require(user, P.OVERLAP_POLICY_MANAGE)
    data = {**payload.dict(), "kind_a": payload.kind_a.value, "kind_b": payload.kind_b.value,
            "effect": payload.effect.value}
    return Status(201, _policy_out(overlap.overlap_policy_create(actor=user, data=data)))
