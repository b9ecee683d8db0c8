"""API of the portal app: the public catalog and status check, and the signed-in resident's household.

The public operations (``auth=None``) return programs' public fields only and count against the same
throttles as the pages; the resident operations read and write the caller's own household only.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from bansos.accounts.models import Role
from bansos.core.api_errors import ERROR_RESPONSES, ErrorOut, Status
from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.core.origin import client_ip
from bansos.portal import selectors
from bansos.portal.services.applications import application_create
from bansos.portal.services.status import plain_state, status_check

router = Router(tags=["portal"])
RESPONSES = {**ERROR_RESPONSES, 429: ErrorOut}


class PublicProgramOut(Schema):
    id: int
    name: str
    kind: str
    agency: str
    description: str
    target_groups: list[str]
    participant: str
    benefit: str
    how_to_apply: str
    contact: str
    start_date: dt.date
    end_date: dt.date
    status: str
    open_for_resident_applications: bool


class StatusIn(Schema):
    nik: str = Field(max_length=24, description="16 digits")
    birth_date: dt.date


class StatusItemOut(Schema):
    program: str
    state: str
    state_label: str
    participant: str


class StatusOut(Schema):
    message: str
    items: list[StatusItemOut]


class PortalMemberOut(Schema):
    id: int
    name: str
    relation: str
    age: int | None


class PortalEnrollmentOut(Schema):
    id: int
    program_id: int
    program: str
    who: str
    state: str
    state_label: str


class PaymentOut(Schema):
    program: str
    cycle: str
    amount: int
    status: str


class PortalHouseholdOut(Schema):
    kk_number: str
    members: list[PortalMemberOut]
    enrollments: list[PortalEnrollmentOut]
    payments: list[PaymentOut]
    eligible_program_ids: list[int]


class ApplyIn(Schema):
    resident_id: int | None = Field(None, description="the participating member (programs for one person)")


class ApplicationOut(Schema):
    id: int
    program_id: int
    resident_id: int | None
    state: str
    state_label: str


def _program_out(p) -> dict:
    return {
        "id": p.pk, "name": p.name, "kind": p.kind, "agency": p.agency.name, "description": p.description,
        "target_groups": list(p.target_groups or []), "participant": p.participant,
        "benefit": p.benefit_description or p.get_benefit_kind_display(), "how_to_apply": p.how_to_apply,
        "contact": p.contact or p.agency.contact, "start_date": p.start_date, "end_date": p.end_date,
        "status": p.status, "open_for_resident_applications": p.open_for_residents,
    }


def _resident(request):
    user = request.auth if hasattr(request, "auth") and request.auth is not None else request.user
    if not (user.is_authenticated and user.role == Role.RESIDENT and user.household_id):
        raise PermissionDeniedError()
    return user


@router.get("/portal/programs", response={200: list[PublicProgramOut], **RESPONSES}, auth=None,
            operation_id="portal_programs_list",
            summary="Public: open and running programs with their public fields (no budgets, no personal data)")
def portal_programs_list(request, q: str = Query("", max_length=100), kind: str = Query("", max_length=20),
                         target: str = Query("", max_length=20)):
    return [_program_out(p) for p in selectors.catalog_programs(q=q, kind=kind, target=target)]


@router.get("/portal/programs/{program_id}", response={200: PublicProgramOut, **RESPONSES}, auth=None,
            operation_id="portal_program_get", summary="Public: one open or running program")
def portal_program_get(request, program_id: int):
    return _program_out(selectors.program_public_get(program_id))


@router.post("/portal/status", response={200: StatusOut, **RESPONSES}, auth=None, operation_id="portal_status_check",
             summary="Public, throttled per address and per NIK: the names and states of a person's programs; "
                     "the same answer for an unknown NIK, a wrong date and no programs")
def portal_status_check(request, payload: StatusIn):
    return status_check(nik=payload.nik, birth_date_value=payload.birth_date, ip=client_ip(request))


@router.get("/portal/household", response={200: PortalHouseholdOut, **RESPONSES}, operation_id="portal_household_get",
            summary="The signed-in resident's own household: members, enrollments, payments, eligibility hints")
def portal_household_get(request):
    user = _resident(request)
    household = selectors.resident_household(user)
    return {
        "kk_number": household.kk_number,
        "members": [{"id": m["pk"], "name": m["name"], "relation": m["relation"], "age": m["age"]}
                    for m in selectors.members(household)],
        "enrollments": [{"id": e["pk"], "program_id": e["program_id"], "program": e["program"], "who": e["who"],
                         "state": e["state"], "state_label": e["state_label"]}
                        for e in selectors.enrollments(household)],
        "payments": [{k: p[k] for k in ("program", "cycle", "amount", "status")}
                     for p in selectors.payments(user=user, household=household)],
        "eligible_program_ids": [h["program"].pk for h in selectors.eligibility_hints(household)],
    }


@router.post("/portal/programs/{program_id}/apply", response={201: ApplicationOut, **RESPONSES},
             operation_id="portal_apply",
             summary="The signed-in resident applies to a program open for resident applications (own household)")
def portal_apply(request, program_id: int, payload: ApplyIn):
    user = _resident(request)
    try:
        program = selectors.program_public_get(program_id)
    except NotFoundError:
        raise
    enrollment = application_create(actor=user, program=program, resident_id=payload.resident_id)
    return Status(201, {"id": enrollment.pk, "program_id": enrollment.program_id,
                        "resident_id": enrollment.resident_id, "state": enrollment.state,
                        "state_label": plain_state(enrollment.state)})
