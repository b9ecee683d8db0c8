"""Health API: posyandu sessions, child visits (record, list), a child's growth (z-scores), alerts.

Health data is specific personal data: a caller outside the posyandu's area is refused (403) by the same
rules the pages use (``bansos.health.access``); the writes are the services', shared with the pages.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Router

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from bansos.core.models import Posyandu
from bansos.health import selectors, services
from bansos.health.access import require_child, require_posyandu
from bansos.health.models import ChildVisit, GrowthAlert, PosyanduSession
from bansos.health.schemas import AlertOut, GrowthOut, SessionIn, SessionOut, VisitIn, VisitOut

router = Router(tags=["health"])

MSG_CHILD_UNKNOWN = _("Anak tidak ditemukan.")


def _role(user, perm: str = P.HEALTH_VIEW) -> None:
    if not has_role_perm(user, perm):
        raise PermissionDeniedError()


def _session(user, pk: int, perm: str) -> PosyanduSession:
    _role(user, perm)
    session = selectors.session_get(pk)
    require_posyandu(user, perm, session.posyandu)
    return session


def _session_out(s: PosyanduSession, visits: int) -> dict[str, Any]:
    return {"id": s.pk, "posyandu_id": s.posyandu_id, "posyandu": s.posyandu.name, "month": s.month,
            "date": s.date, "place": s.place, "visits": visits}


def _alert_out(a: GrowthAlert) -> dict[str, Any]:
    return {"id": a.pk, "kind": a.kind, "label": str(a.get_kind_display()), "child_id": a.child_id,
            "visit_id": a.visit_id, "raised_at": a.raised_at, "resolved": a.resolved, "resolution": a.resolution}


def _visit_out(v: ChildVisit, alerts: list[GrowthAlert]) -> dict[str, Any]:
    return {"id": v.pk, "session_id": v.session_id, "child_id": v.child_id, "visit_date": v.visit_date,
            "age_days": v.age_days, "weight_kg": v.weight_kg, "length_cm": v.length_cm, "position": v.position,
            "length_used_cm": v.length_used_cm, "head_cm": v.head_cm, "muac_cm": v.muac_cm, "oedema": v.oedema,
            "immunizations": v.immunizations, "vitamin_a": v.vitamin_a,
            "z": {"waz": v.waz, "haz": v.haz, "whz": v.whz, "baz": v.baz, "waz_class": v.waz_class,
                  "haz_class": v.haz_class, "whz_class": v.whz_class, "baz_class": v.baz_class},
            "alerts": [_alert_out(a) for a in alerts]}


@router.get("/health/sessions", response={200: list[SessionOut], **ERROR_RESPONSES},
            operation_id="health_session_list", summary="Posyandu sessions the caller may see, newest first")
def health_session_list(request, posyandu_id: int | None = None):
    user = request.auth
    _role(user)
    posyandus = selectors.posyandu_list(user)
    if posyandu_id is not None:
        posyandus = posyandus.filter(pk=posyandu_id)
    out = []
    for p in posyandus:
        out += [_session_out(s, s.n_visits) for s in selectors.sessions_of(p)]
    return out


@router.post("/health/sessions", response={201: SessionOut, **ERROR_RESPONSES},
             operation_id="health_session_open", summary="Open a posyandu's session for the month of a date")
def health_session_open(request, payload: SessionIn):
    user = request.auth
    _role(user, P.HEALTH_RECORD)
    posyandu = Posyandu.objects.filter(pk=payload.posyandu_id).first()
    if posyandu is None:
        raise NotFoundError()
    session = services.session_open(actor=user, posyandu=posyandu, date=payload.date, place=payload.place,
                                    notes=payload.notes)
    return Status(201, _session_out(session, 0))


@router.get("/health/sessions/{session_id}/visits", response={200: list[VisitOut], **ERROR_RESPONSES},
            operation_id="health_visit_list", summary="Visits recorded at a session, with z-scores")
def health_visit_list(request, session_id: int):
    session = _session(request.auth, session_id, P.HEALTH_VIEW)
    visits = list(ChildVisit.objects.filter(session=session).prefetch_related("alerts").order_by("id"))
    return [_visit_out(v, list(v.alerts.all())) for v in visits]


@router.post("/health/sessions/{session_id}/visits", response={201: VisitOut, **ERROR_RESPONSES},
             operation_id="health_visit_record",
             summary="Record a child's measurement; answers with the z-scores, classifications and alerts")
def health_visit_record(request, session_id: int, payload: VisitIn):
    from bansos.registry.models import Resident

    user = request.auth
    session = _session(user, session_id, P.HEALTH_RECORD)
    child = Resident.objects.select_related("household").filter(pk=payload.child_id).first()
    if child is None:
        raise ValidationFailed({"child_id": [str(MSG_CHILD_UNKNOWN)]})
    data = payload.dict()
    data.pop("child_id")
    visit = services.visit_record(actor=user, session=session, child=child, data=data)
    return Status(201, _visit_out(visit, list(visit.alerts.all())))


@router.get("/health/children/{child_id}/growth", response={200: GrowthOut, **ERROR_RESPONSES},
            operation_id="health_child_growth", summary="A child's visits with z-scores, and open alerts")
def health_child_growth(request, child_id: int):
    from bansos.registry.models import Resident

    user = request.auth
    _role(user)
    child = Resident.objects.select_related("household").filter(pk=child_id).first()
    if child is None:
        raise NotFoundError()
    require_child(user, P.HEALTH_VIEW, child)
    visits = list(ChildVisit.objects.filter(child=child).prefetch_related("alerts").order_by("visit_date", "id"))
    return {"child_id": child.pk, "name": child.full_name, "sex": child.sex, "birth_date": child.birth_date,
            "visits": [_visit_out(v, list(v.alerts.all())) for v in visits],
            "open_alerts": [_alert_out(a) for a in GrowthAlert.objects.filter(child=child, resolved=False)]}


@router.get("/health/alerts", response={200: list[AlertOut], **ERROR_RESPONSES},
            operation_id="health_alert_list", summary="Open growth alerts in the caller's posyandu area")
def health_alert_list(request):
    user = request.auth
    _role(user)
    return [_alert_out(a) for a in selectors.open_alerts(user=user, limit=500)]


# Maternal care, health education and referrals: their operations register on this router.
from bansos.health import api_maternal  # noqa: E402,F401
