"""API of the grievances app: the same services and scopes as the pages.

Staff (``P.GRIEVANCE_HANDLE``) list and read the grievances of their scope and act on them; a signed-in
resident lists, reads (public timeline only), files, accepts and appeals its own; the dashboard is
``P.GRIEVANCE_DASHBOARD`` (aggregates only). Public filing without an account is the web form's (throttled).
"""

from __future__ import annotations

from ninja import Query, Router

from bansos.accounts.models import Agency, Role, User
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.grievances import selectors, services
from bansos.grievances.models import Grievance
from bansos.grievances.schemas import (
    CategoryEnum, GrievanceAppealIn, GrievanceAssignIn, GrievanceDashboardOut, GrievanceDetailOut, GrievanceIn,
    GrievanceMessageIn, GrievanceOut, GrievanceResolveIn, StateEnum,
)

router = Router(tags=["grievances"])


def _is_resident(user) -> bool:
    return user.role == Role.RESIDENT


def _out(g: Grievance, *, staff: bool) -> dict:
    return {
        "id": g.pk, "code": g.code, "category": g.category, "channel": g.channel, "track": g.track, "state": g.state,
        "subject": g.subject, "description": g.description, "anonymous": g.anonymous,
        "complainant_name": g.complainant_name if staff and not g.anonymous else None,
        "complainant_phone": g.complainant_phone if staff and not g.anonymous else None,
        "program_id": g.program_id, "agency": g.agency.name if g.agency_id else None,
        "assignee": (g.assignee.get_full_name() or g.assignee.username) if staff and g.assignee_id else None,
        "rw": g.rw.number if staff and g.rw_id else None, "received_at": g.received_at,
        "first_response_due_at": g.first_response_due_at, "resolution_due_at": g.resolution_due_at,
        "first_response_at": g.first_response_at, "resolved_at": g.resolved_at, "closed_at": g.closed_at,
        "appeal_count": g.appeal_count, "escalated": bool(g.response_escalated_at or g.resolution_escalated_at),
        "resolution": g.resolution,
    }


def _detail(g: Grievance, *, staff: bool) -> dict:
    events = selectors.timeline(g, public_only=not staff)
    return {**_out(g, staff=staff), "events": [{"at": e.at, "kind": e.kind, "public": e.public, "message": e.message}
                                               for e in events]}


def _get(user, grievance_id: int) -> tuple[Grievance, bool]:
    if _is_resident(user):
        return selectors.resident_get(user=user, pk=grievance_id), False
    return selectors.grievance_get(user=user, pk=grievance_id), True


def _staff_get(user, grievance_id: int) -> Grievance:
    if not has_role_perm(user, P.GRIEVANCE_HANDLE):
        raise PermissionDeniedError()
    return selectors.grievance_get(user=user, pk=grievance_id)


@router.get("/grievances", response={200: list[GrievanceOut], **ERROR_RESPONSES}, operation_id="grievances_grievance_list",
            summary="Grievances of the caller's scope (staff), or the resident's own")
def grievances_grievance_list(request, state: StateEnum | None = Query(None), category: CategoryEnum | None = Query(None),
                              overdue: bool = Query(False)):
    user = request.auth
    if _is_resident(user):
        qs = selectors.resident_list(user=user).select_related("agency")
        if state:
            qs = qs.filter(state=state.value)
        return [_out(g, staff=False) for g in qs[:500]]
    qs = selectors.grievance_queue(user=user, state=state.value if state else "",
                                   category=category.value if category else "", overdue=overdue)
    return [_out(g, staff=True) for g in qs[:500]]


@router.get("/grievances/{int:grievance_id}", response={200: GrievanceDetailOut, **ERROR_RESPONSES},
            operation_id="grievances_grievance_read", summary="One grievance with its timeline (public lines for residents)")
def grievances_grievance_read(request, grievance_id: int):
    g, staff = _get(request.auth, grievance_id)
    return _detail(g, staff=staff)


@router.post("/grievances", response={201: GrievanceDetailOut, **ERROR_RESPONSES},
             operation_id="grievances_grievance_create",
             summary="File (resident, portal channel) or record (staff: office, phone, RT/RW) a grievance")
def grievances_grievance_create(request, payload: GrievanceIn):
    user = request.auth
    data = {"category": payload.category.value, "subject": payload.subject, "description": payload.description,
            "anonymous": payload.anonymous, "name": payload.name, "phone": payload.phone,
            "program": payload.program_id, "rw": payload.rw_id}
    if _is_resident(user):
        g = services.grievance_file(actor=user, data=data)
        return Status(201, _detail(g, staff=False))
    data.update(channel=payload.channel.value if payload.channel else "", household=payload.household_id,
                complainant_household=payload.complainant_household_id)
    g = services.grievance_record(actor=user, data=data)
    return Status(201, _detail(g, staff=selectors.staff_can_see(user, g)))


@router.post("/grievances/{int:grievance_id}/respond", response={200: GrievanceDetailOut, **ERROR_RESPONSES},
             operation_id="grievances_grievance_respond", summary="A public answer; the first one is the first response")
def grievances_grievance_respond(request, grievance_id: int, payload: GrievanceMessageIn):
    g = _staff_get(request.auth, grievance_id)
    return _detail(services.grievance_respond(actor=request.auth, grievance=g, message=payload.message), staff=True)


@router.post("/grievances/{int:grievance_id}/assign", response={200: GrievanceDetailOut, **ERROR_RESPONSES},
             operation_id="grievances_grievance_assign", summary="Assign to an agency and/or an officer")
def grievances_grievance_assign(request, grievance_id: int, payload: GrievanceAssignIn):
    g = _staff_get(request.auth, grievance_id)
    agency = assignee = None
    if payload.agency_id is not None:
        agency = Agency.objects.filter(pk=payload.agency_id).first()
        if agency is None:
            raise DomainError("invalid_choice", services.MSG_INVALID_CHOICE, field="agency_id")
    if payload.assignee_id is not None:
        assignee = User.objects.filter(pk=payload.assignee_id).first()
        if assignee is None:
            raise DomainError("invalid_choice", services.MSG_INVALID_CHOICE, field="assignee_id")
    g = services.grievance_assign(actor=request.auth, grievance=g, agency=agency, assignee=assignee, note=payload.note)
    return _detail(g, staff=True)


@router.post("/grievances/{int:grievance_id}/resolve", response={200: GrievanceDetailOut, **ERROR_RESPONSES},
             operation_id="grievances_grievance_resolve", summary="Give the resolution; the complainant accepts or appeals")
def grievances_grievance_resolve(request, grievance_id: int, payload: GrievanceResolveIn):
    g = _staff_get(request.auth, grievance_id)
    return _detail(services.grievance_resolve(actor=request.auth, grievance=g, resolution=payload.resolution),
                   staff=True)


def _resident_get(user, grievance_id: int) -> Grievance:
    if not _is_resident(user):
        raise PermissionDeniedError(services.MSG_NOT_COMPLAINANT)
    return selectors.resident_get(user=user, pk=grievance_id)


@router.post("/grievances/{int:grievance_id}/accept", response={200: GrievanceDetailOut, **ERROR_RESPONSES},
             operation_id="grievances_grievance_accept", summary="The complainant (resident) accepts the resolution")
def grievances_grievance_accept(request, grievance_id: int):
    g = _resident_get(request.auth, grievance_id)
    return _detail(services.grievance_accept(actor=request.auth, grievance=g), staff=False)


@router.post("/grievances/{int:grievance_id}/appeal", response={200: GrievanceDetailOut, **ERROR_RESPONSES},
             operation_id="grievances_grievance_appeal", summary="The complainant (resident) appeals once")
def grievances_grievance_appeal(request, grievance_id: int, payload: GrievanceAppealIn):
    g = _resident_get(request.auth, grievance_id)
    return _detail(services.grievance_appeal(actor=request.auth, grievance=g, reason=payload.reason), staff=False)


@router.get("/grievances/dashboard", response={200: GrievanceDashboardOut, **ERROR_RESPONSES},
            operation_id="grievances_dashboard_read",
            summary="Open, overdue, median time to first response and to resolve, per category and agency")
def grievances_dashboard_read(request):
    d = selectors.dashboard(user=request.auth)
    return {"total": {"label": "", **d["total"]}, "categories": d["categories"],
            "agencies": [{**row, "label": row["label"] or ""} for row in d["agencies"]]}
