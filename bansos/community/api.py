"""API of the community app: usul/sanggah, the beneficiary list and its settings, youth proposals.

Operations look objects up, hand typed input to one service and render the result; the rules are the
services', ``community.access``'s and ``community.selectors``' (shared with the pages). The proposal list
and detail are public; the beneficiary list follows the admin's setting (public, or signed-in residents of
the RW). Answers about an objection never carry the objector to anyone but the deciding staff.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from django.contrib.auth.models import AnonymousUser
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError

from bansos.accounts.api_auth import session_auth, token_auth
from bansos.accounts.models import Agency
from bansos.accounts.permissions import P, has_role_perm
from bansos.community import selectors
from bansos.community.access import require_resident, require_review
from bansos.community.models import CaseStatus, Nomination, Proposal, ProposalStatus, Relation
from bansos.community.services import cases, proposals
from bansos.community.services.listing import listing_settings, listing_settings_update
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.models import RT
from bansos.programs.models import Program, TargetGroup

router = Router(tags=["community"])


def anonymous(request):
    """The last authenticator of public operations: no key, no session -> an anonymous caller."""
    return AnonymousUser()


PUBLIC = [token_auth, session_auth, anonymous]

CaseStatusEnum = Enum("CaseStatusEnum", {v: v for v in CaseStatus.values}, type=str)
RelationEnum = Enum("RelationEnum", {v: v for v in Relation.values}, type=str)
ProposalStatusEnum = Enum("ProposalStatusEnum", {v: v for v in ProposalStatus.values}, type=str)
TargetGroupEnum = Enum("CommunityTargetGroupEnum", {v: v for v in TargetGroup.values}, type=str)


class NominationIn(Schema):
    program: int
    relation: RelationEnum
    reason: str = Field(max_length=1000)
    kk_number: str = Field("", max_length=20)
    rt: int | None = None
    address: str = Field("", max_length=200)


class ObjectionIn(Schema):
    enrollment: int = Field(description="The id of an entry of the beneficiary list")
    reason: str = Field(max_length=1000)


class FieldCheckIn(Schema):
    field_date: dt.date
    field_note: str = Field(max_length=2000)


class DecisionIn(Schema):
    accept: bool
    reason: str = Field(max_length=2000)
    resident: int | None = Field(None, description="Nominations for person programs: the member (default head)")


class FindingIn(Schema):
    suspend: bool
    note: str = Field(max_length=2000)


class CaseOut(Schema):
    id: int
    kind: str
    program_id: int
    program: str
    status: str
    reason: str
    created_at: dt.datetime
    field_date: dt.date | None
    field_note: str
    decided_at: dt.datetime | None
    decision_reason: str
    outcome: str = ""
    enrollment_id: int | None = None


class StaffCaseOut(CaseOut):
    household_id: int
    rt: int
    rw: int
    filed_by: str


class ListingEntryOut(Schema):
    id: int
    name: str
    rt: int


class ListingProgramOut(Schema):
    program_id: int
    program: str
    agency: str
    entries: list[ListingEntryOut]


class ListingSettingsIO(Schema):
    enabled: bool
    audience: str
    masking: str
    programs: list[int]
    agencies: list[int]


class ProposalIn(Schema):
    title: str = Field(max_length=150)
    description: str = Field(max_length=4000)
    budget_estimate: int
    target_group: TargetGroupEnum
    rw: int = Field(description="RW number")


class ProposalOut(Schema):
    id: int
    title: str
    description: str
    budget_estimate: int
    target_group: str
    rw: int
    status: str
    support_count: int
    answer: str
    answered_at: dt.datetime | None
    program_id: int | None
    created_at: dt.datetime


class AnswerIn(Schema):
    answer: str = Field(max_length=4000)
    decline: bool = False


class ApproveIn(Schema):
    answer: str = Field(max_length=4000)
    agency: int
    start_date: dt.date
    end_date: dt.date


class SupportOut(Schema):
    proposal_id: int
    support_count: int


# --- helpers ------------------------------------------------------------------------------------------

def _case_out(c, *, staff: bool) -> dict:
    out = {"id": c.pk, "kind": "nomination" if isinstance(c, Nomination) else "objection",
           "program_id": c.program_id, "program": c.program.name, "status": c.status, "reason": c.reason,
           "created_at": c.created_at, "field_date": c.field_date, "field_note": c.field_note if staff else "",
           "decided_at": c.decided_at, "decision_reason": c.decision_reason,
           "outcome": getattr(c, "outcome", ""), "enrollment_id": getattr(c, "enrollment_id", None)}
    if staff:
        filer = c.nominated_by if isinstance(c, Nomination) else c.objector
        out.update(household_id=c.household_id, rt=c.household.rt.number, rw=c.household.rt.rw.number,
                   filed_by=filer.get_full_name() or filer.username)
    return out


def _proposal_out(p: Proposal) -> dict:
    return {"id": p.pk, "title": p.title, "description": p.description, "budget_estimate": p.budget_estimate,
            "target_group": p.target_group, "rw": p.rw.number, "status": p.status, "support_count": p.support_count,
            "answer": p.answer, "answered_at": p.answered_at, "program_id": p.program_id, "created_at": p.created_at}


def _decider(user) -> None:
    if not has_role_perm(user, P.NOMINATION_DECIDE):
        raise PermissionDeniedError()


def _get(model, pk: int):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFoundError()
    return obj


# --- the beneficiary list -------------------------------------------------------------------------------

@router.get("/community/beneficiaries/{int:rw_number}", response={200: list[ListingProgramOut], **ERROR_RESPONSES},
            auth=PUBLIC, operation_id="community_beneficiary_list",
            summary="Masked names and RT of the listed programs' beneficiaries in one RW (per the admin's setting)")
def community_beneficiary_list(request, rw_number: int, program: int | None = Query(None)):
    user = request.auth
    rw = selectors.rw_get(rw_number)
    if not selectors.can_view_listing(user, rw):
        if not user.is_authenticated:
            raise AuthenticationError()
        raise PermissionDeniedError()
    return [{"program_id": b["program"].pk, "program": b["program"].name, "agency": b["program"].agency.name,
             "entries": b["entries"]} for b in selectors.beneficiary_list(user=user, rw=rw, program_id=program)]


@router.get("/community/listing-settings", response={200: ListingSettingsIO, **ERROR_RESPONSES},
            operation_id="community_listing_settings_read", summary="Settings of the beneficiary list")
def community_listing_settings_read(request):
    if not has_role_perm(request.auth, P.AREAS_MANAGE):
        raise PermissionDeniedError()
    s = listing_settings()
    return {"enabled": s.enabled, "audience": s.audience, "masking": s.masking,
            "programs": sorted(s.programs.values_list("pk", flat=True)),
            "agencies": sorted(s.consenting_agencies.values_list("pk", flat=True))}


@router.put("/community/listing-settings", response={200: ListingSettingsIO, **ERROR_RESPONSES},
            operation_id="community_listing_settings_update", summary="Change the beneficiary list's settings")
def community_listing_settings_update(request, payload: ListingSettingsIO):
    if not has_role_perm(request.auth, P.AREAS_MANAGE):
        raise PermissionDeniedError()
    programs = list(Program.objects.filter(pk__in=payload.programs))
    agencies = list(Agency.objects.filter(pk__in=payload.agencies))
    listing_settings_update(actor=request.auth, enabled=payload.enabled, audience=payload.audience,
                            masking=payload.masking, programs=programs, agencies=agencies)
    return community_listing_settings_read(request)


# --- nominations --------------------------------------------------------------------------------------

@router.post("/community/nominations", response={201: CaseOut, **ERROR_RESPONSES},
             operation_id="community_nomination_create", summary="A resident nominates a household for a program")
def community_nomination_create(request, payload: NominationIn):
    require_resident(request.auth)
    program = _get(Program, payload.program)
    rt = RT.objects.filter(pk=payload.rt).first() if payload.rt else None
    case = cases.nomination_create(actor=request.auth, program=program, relation=payload.relation.value,
                                   reason=payload.reason, kk_number=payload.kk_number, rt=rt,
                                   address=payload.address)
    return Status(201, _case_out(case, staff=False))


@router.get("/community/nominations/mine", response={200: list[CaseOut], **ERROR_RESPONSES},
            operation_id="community_nomination_mine", summary="The caller's own nominations and their outcomes")
def community_nomination_mine(request):
    require_resident(request.auth)
    return [_case_out(c, staff=False) for c in selectors.my_nominations(user=request.auth)[:200]]


@router.get("/community/nominations", response={200: list[StaffCaseOut], **ERROR_RESPONSES},
            operation_id="community_nomination_list", summary="Nominations in the caller's scope (RW or agency)")
def community_nomination_list(request, status: CaseStatusEnum | None = Query(None)):
    _decider(request.auth)
    qs = selectors.nomination_queue(user=request.auth, status=status.value if status else "")
    return [_case_out(c, staff=True) for c in qs.select_related("nominated_by")[:500]]


@router.get("/community/nominations/{int:nomination_id}", response={200: StaffCaseOut, **ERROR_RESPONSES},
            operation_id="community_nomination_read", summary="One nomination in the caller's scope")
def community_nomination_read(request, nomination_id: int):
    _decider(request.auth)
    return _case_out(selectors.nomination_get(user=request.auth, pk=nomination_id), staff=True)


@router.post("/community/nominations/{int:nomination_id}/check", response={200: StaffCaseOut, **ERROR_RESPONSES},
             operation_id="community_nomination_check", summary="Record the field check of a nomination")
def community_nomination_check(request, nomination_id: int, payload: FieldCheckIn):
    _decider(request.auth)
    case = selectors.nomination_get(user=request.auth, pk=nomination_id)
    case = cases.nomination_check(actor=request.auth, nomination=case, note=payload.field_note,
                                  date=payload.field_date)
    return _case_out(case, staff=True)


@router.post("/community/nominations/{int:nomination_id}/decide", response={200: StaffCaseOut, **ERROR_RESPONSES},
             operation_id="community_nomination_decide",
             summary="Accept (the household applies through the nomination channel) or reject a nomination")
def community_nomination_decide(request, nomination_id: int, payload: DecisionIn):
    _decider(request.auth)
    case = selectors.nomination_get(user=request.auth, pk=nomination_id)
    resident = None
    if payload.resident:
        from bansos.registry.models import Resident

        resident = Resident.objects.filter(pk=payload.resident, household_id=case.household_id).first()
        if resident is None:
            raise DomainError("resident_outside", cases.MSG_RESIDENT_OUTSIDE, field="resident")
    case = cases.nomination_decide(actor=request.auth, nomination=case, accept=payload.accept,
                                   reason=payload.reason, resident=resident)
    return _case_out(case, staff=True)


# --- objections ---------------------------------------------------------------------------------------

@router.post("/community/objections", response={201: CaseOut, **ERROR_RESPONSES},
             operation_id="community_objection_create",
             summary="A resident objects to a beneficiary of its own RW's list, with a reason (once)")
def community_objection_create(request, payload: ObjectionIn):
    require_resident(request.auth)
    enrollment = selectors.listed_enrollment(pk=payload.enrollment)
    case = cases.objection_create(actor=request.auth, enrollment=enrollment, reason=payload.reason)
    return Status(201, _case_out(case, staff=False))


@router.get("/community/objections/mine", response={200: list[CaseOut], **ERROR_RESPONSES},
            operation_id="community_objection_mine", summary="The caller's own objections and their outcomes")
def community_objection_mine(request):
    require_resident(request.auth)
    return [_case_out(c, staff=False) for c in selectors.my_objections(user=request.auth)[:200]]


@router.get("/community/objections", response={200: list[StaffCaseOut], **ERROR_RESPONSES},
            operation_id="community_objection_list", summary="Objections in the caller's scope (RW or agency)")
def community_objection_list(request, status: CaseStatusEnum | None = Query(None)):
    _decider(request.auth)
    qs = selectors.objection_queue(user=request.auth, status=status.value if status else "")
    return [_case_out(c, staff=True) for c in qs.select_related("objector")[:500]]


@router.get("/community/objections/{int:objection_id}", response={200: StaffCaseOut, **ERROR_RESPONSES},
            operation_id="community_objection_read", summary="One objection in the caller's scope")
def community_objection_read(request, objection_id: int):
    _decider(request.auth)
    return _case_out(selectors.objection_get(user=request.auth, pk=objection_id), staff=True)


@router.post("/community/objections/{int:objection_id}/check", response={200: StaffCaseOut, **ERROR_RESPONSES},
             operation_id="community_objection_check", summary="Record the field check of an objection")
def community_objection_check(request, objection_id: int, payload: FieldCheckIn):
    _decider(request.auth)
    case = selectors.objection_get(user=request.auth, pk=objection_id)
    case = cases.objection_check(actor=request.auth, objection=case, note=payload.field_note,
                                 date=payload.field_date)
    return _case_out(case, staff=True)


@router.post("/community/objections/{int:objection_id}/decide", response={200: StaffCaseOut, **ERROR_RESPONSES},
             operation_id="community_objection_decide",
             summary="Accept (suspension, or a finding for the program's agency) or reject an objection")
def community_objection_decide(request, objection_id: int, payload: DecisionIn):
    _decider(request.auth)
    case = selectors.objection_get(user=request.auth, pk=objection_id)
    case = cases.objection_decide(actor=request.auth, objection=case, accept=payload.accept, reason=payload.reason)
    return _case_out(case, staff=True)


@router.post("/community/objections/{int:objection_id}/finding", response={200: StaffCaseOut, **ERROR_RESPONSES},
             operation_id="community_objection_finding",
             summary="The program's agency closes a finding: suspend the participant, or keep it with a note")
def community_objection_finding(request, objection_id: int, payload: FindingIn):
    _decider(request.auth)
    case = selectors.objection_get(user=request.auth, pk=objection_id)
    case = cases.objection_finding_close(actor=request.auth, objection=case, suspend=payload.suspend,
                                         note=payload.note)
    return _case_out(case, staff=True)


# --- youth proposals ----------------------------------------------------------------------------------

@router.get("/community/proposals", response={200: list[ProposalOut], **ERROR_RESPONSES}, auth=None,
            operation_id="community_proposal_list", summary="Youth proposals with support counts and answers (public)")
def community_proposal_list(request, status: ProposalStatusEnum | None = Query(None), rw: int | None = Query(None)):
    return [_proposal_out(p) for p in selectors.proposal_list(status=status.value if status else "", rw=rw)[:500]]


@router.get("/community/proposals/{int:proposal_id}", response={200: ProposalOut, **ERROR_RESPONSES}, auth=None,
            operation_id="community_proposal_read", summary="One youth proposal (public)")
def community_proposal_read(request, proposal_id: int):
    return _proposal_out(selectors.proposal_get(pk=proposal_id))


@router.post("/community/proposals", response={201: ProposalOut, **ERROR_RESPONSES},
             operation_id="community_proposal_create", summary="A resident aged 16-30 proposes a community program")
def community_proposal_create(request, payload: ProposalIn):
    require_resident(request.auth)
    data = payload.dict()
    data["target_group"] = payload.target_group.value
    proposal = proposals.proposal_create(actor=request.auth, data=data)
    return Status(201, _proposal_out(proposal))


@router.post("/community/proposals/{int:proposal_id}/support", response={201: SupportOut, **ERROR_RESPONSES},
             operation_id="community_proposal_support", summary="Support a proposal (one vote per resident)")
def community_proposal_support(request, proposal_id: int):
    require_resident(request.auth)
    proposal = selectors.proposal_get(pk=proposal_id)
    proposals.proposal_support(actor=request.auth, proposal=proposal)
    proposal.refresh_from_db(fields=["support_count"])
    return Status(201, {"proposal_id": proposal.pk, "support_count": proposal.support_count})


@router.post("/community/proposals/{int:proposal_id}/answer", response={200: ProposalOut, **ERROR_RESPONSES},
             operation_id="community_proposal_answer",
             summary="The kelurahan's public answer (still under review), or a decline")
def community_proposal_answer(request, proposal_id: int, payload: AnswerIn):
    require_review(request.auth)
    proposal = selectors.proposal_get(pk=proposal_id)
    service = proposals.proposal_decline if payload.decline else proposals.proposal_answer
    return _proposal_out(service(actor=request.auth, proposal=proposal, answer=payload.answer))


@router.post("/community/proposals/{int:proposal_id}/approve", response={200: ProposalOut, **ERROR_RESPONSES},
             operation_id="community_proposal_approve", summary="Approve: the proposal becomes a program draft")
def community_proposal_approve(request, proposal_id: int, payload: ApproveIn):
    require_review(request.auth)
    proposal = selectors.proposal_get(pk=proposal_id)
    agency = Agency.objects.filter(pk=payload.agency).first()
    return _proposal_out(proposals.proposal_approve(actor=request.auth, proposal=proposal, answer=payload.answer,
                                                    agency=agency, start_date=payload.start_date,
                                                    end_date=payload.end_date))
