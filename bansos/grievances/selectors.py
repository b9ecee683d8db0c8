"""Reads of the grievances app: the staff queue, one grievance, the resident's list, the public status, the
dashboard. Scopes come from ``grievances.access``; list queries select their relations in one go."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.grievances.access import dashboard_scope, require_handle, resident_scope, staff_scope
from bansos.grievances.models import OPEN_STATES, Category, Grievance, GrievanceEvent, State
from bansos.grievances.services import normalize_code


def overdue_q(now: dt.datetime) -> Q:
    """Open grievances past a deadline: no first response in time, or not resolved in time."""
    return Q(state__in=OPEN_STATES) & (
        Q(state=State.RECEIVED, first_response_at=None, first_response_due_at__lt=now) | Q(resolution_due_at__lt=now))


def grievance_queue(*, user, state: str = "", category: str = "", agency_id: int | None = None,
                    overdue: bool = False, q: str = "", now: dt.datetime | None = None) -> QuerySet[Grievance]:
    if not has_role_perm(user, P.GRIEVANCE_HANDLE):
        raise PermissionDeniedError()
    now = now or timezone.now()
    qs = Grievance.objects.filter(staff_scope(user)).select_related("program", "agency", "assignee", "rw")
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category=category)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if overdue:
        qs = qs.filter(overdue_q(now))
    if q:
        code = normalize_code(q)
        qs = qs.filter(Q(code=code) if code else Q(subject__icontains=q.strip()))
    return qs.order_by("-received_at", "-pk")


def grievance_get(*, user, pk: int) -> Grievance:
    grievance = (Grievance.objects.select_related("program__agency", "agency", "assignee", "rw", "rt", "household",
                                                  "complainant_household", "duplicate_of", "recorded_by")
                 .filter(pk=pk).first())
    if grievance is None:
        raise NotFoundError()
    require_handle(user, grievance)
    return grievance


def timeline(grievance: Grievance, *, public_only: bool) -> list[GrievanceEvent]:
    qs = grievance.events.select_related("actor")
    if public_only:
        qs = qs.filter(public=True)
    return list(qs)


def resident_list(*, user) -> QuerySet[Grievance]:
    return Grievance.objects.filter(resident_scope(user)).select_related("program").order_by("-received_at", "-pk")


def resident_get(*, user, pk: int) -> Grievance:
    grievance = Grievance.objects.filter(resident_scope(user), pk=pk).select_related("program").first()
    if grievance is None:
        raise NotFoundError()
    return grievance


def grievance_by_code(code: str) -> Grievance:
    """The grievance of a tracking code (as typed), or NotFound."""
    normalized = normalize_code(code)
    grievance = Grievance.objects.select_related("program").filter(code=normalized).first() if normalized else None
    if grievance is None:
        raise NotFoundError()
    return grievance


def public_status(grievance: Grievance) -> dict[str, Any]:
    """What anyone holding the code may see: state, dates, public answers. Never notes, never the complainant."""
    return {
        "code": grievance.code, "subject": grievance.subject, "category": grievance.get_category_display(),
        "state": grievance.state, "state_label": grievance.get_state_display(), "received_at": grievance.received_at,
        "first_response_due_at": grievance.first_response_due_at, "resolution_due_at": grievance.resolution_due_at,
        "resolution": grievance.resolution, "can_appeal": grievance.state == State.RESOLVED and grievance.appeal_count == 0,
        "can_accept": grievance.state == State.RESOLVED,
        "events": [{"at": e.at, "kind": e.kind, "label": e.get_kind_display(), "message": e.message}
                   for e in grievance.events.filter(public=True).order_by("at", "pk")],
    }


def _median_hours(pairs: list[tuple[dt.datetime, dt.datetime]]) -> float | None:
    values = [(end - start).total_seconds() / 3600 for start, end in pairs if start and end]
    return round(statistics.median(values), 1) if values else None


def dashboard(*, user, now: dt.datetime | None = None) -> dict[str, Any]:
    """Open, overdue, median hours to first response and days to resolve: overall, per category, per agency."""
    if not has_role_perm(user, P.GRIEVANCE_DASHBOARD):
        raise PermissionDeniedError()
    now = now or timezone.now()
    rows = list(Grievance.objects.filter(dashboard_scope(user)).values_list(
        "category", "agency__name", "state", "received_at", "first_response_at", "resolved_at",
        "first_response_due_at", "resolution_due_at", "response_escalated_at", "resolution_escalated_at"))

    def empty() -> dict[str, Any]:
        return {"total": 0, "open": 0, "overdue": 0, "escalated": 0, "resolved": 0, "first": [], "resolve": []}

    total = empty()
    by_category: dict[str, dict[str, Any]] = defaultdict(empty)
    by_agency: dict[str, dict[str, Any]] = defaultdict(empty)
    for (category, agency, state, received, first, resolved, first_due, resolve_due, esc1, esc2) in rows:
        is_open = state in OPEN_STATES
        late = is_open and ((state == State.RECEIVED and first is None and first_due < now) or resolve_due < now)
        for bucket in (total, by_category[category], by_agency[agency or ""]):
            bucket["total"] += 1
            bucket["open"] += is_open
            bucket["overdue"] += late
            bucket["escalated"] += bool(esc1 or esc2)
            bucket["resolved"] += resolved is not None
            if first:
                bucket["first"].append((received, first))
            if resolved:
                bucket["resolve"].append((received, resolved))

    def finish(bucket: dict[str, Any]) -> dict[str, Any]:
        hours = _median_hours(bucket.pop("resolve"))
        return {**bucket, "median_first_response_hours": _median_hours(bucket.pop("first")),
                "median_resolve_days": round(hours / 24, 1) if hours is not None else None}

    labels = dict(Category.choices)
    return {
        "now": now,
        "total": finish(total),
        "categories": [{"key": key, "label": str(labels[key]), **finish(by_category[key])}
                       for key in Category.values if key in by_category],
        "agencies": [{"label": name, **finish(by_agency[name])} for name in sorted(by_agency, key=lambda n: (n == "", n))],
    }


def open_count_for(*, user) -> int:
    """Open grievances the staff user handles (for a badge in the navigation)."""
    return Grievance.objects.filter(staff_scope(user), state__in=OPEN_STATES).count()


def staff_can_see(user, grievance: Grievance) -> bool:
    return Grievance.objects.filter(staff_scope(user), pk=grievance.pk).exists()
