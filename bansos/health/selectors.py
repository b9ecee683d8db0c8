"""Reads of the health app. Callers have checked access (``bansos.health.access``) before calling these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from bansos.core.errors import NotFoundError
from bansos.core.models import Posyandu
from bansos.health.access import visible_posyandu_ids
from bansos.health.growth import MAX_AGE_DAYS
from bansos.health.models import ChildVisit, GrowthAlert, PosyanduSession


def posyandu_list(user):
    ids = visible_posyandu_ids(user)
    qs = Posyandu.objects.select_related("rw").annotate(n_sessions=Count("sessions"))
    return qs if ids is None else qs.filter(pk__in=ids)


def posyandu_get(user, pk: int) -> Posyandu:
    found = posyandu_list(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    return found


def session_get(pk: int) -> PosyanduSession:
    found = PosyanduSession.objects.select_related("posyandu").filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    return found


def sessions_of(posyandu, limit: int = 24) -> list[PosyanduSession]:
    return list(PosyanduSession.objects.filter(posyandu=posyandu).annotate(n_visits=Count("visits"))
                .order_by("-month")[:limit])


def under_fives(posyandu, on: dt.date):
    """Active children aged 0..60 months on ``on`` in active households of the posyandu's RTs."""
    from bansos.registry.models import Resident

    youngest = on
    oldest = on - dt.timedelta(days=MAX_AGE_DAYS)
    return (Resident.objects.filter(status="active", household__status="active", household__rt__posyandus=posyandu,
                                    birth_date__gte=oldest, birth_date__lte=youngest)
            .select_related("household__rt__rw").order_by("household__rt__rw__number", "household__rt__number",
                                                          "full_name"))


@dataclass
class Row:
    child: object
    visit: ChildVisit | None
    open_alerts: int


def session_roster(session: PosyanduSession) -> list[Row]:
    """The under-fives of the posyandu's area and who was measured at this session (three queries)."""
    children = list(under_fives(session.posyandu, session.date))
    visits = {v.child_id: v for v in ChildVisit.objects.filter(session=session)}
    # Children measured at this session but no longer in the list (moved, turned five) still show.
    missing = [cid for cid in visits if cid not in {c.pk for c in children}]
    if missing:
        from bansos.registry.models import Resident

        children += list(Resident.objects.filter(pk__in=missing).select_related("household__rt__rw"))
    alerts = dict(GrowthAlert.objects.filter(child__in=[c.pk for c in children], resolved=False)
                  .values_list("child_id").annotate(n=Count("id")).values_list("child_id", "n"))
    return [Row(child=c, visit=visits.get(c.pk), open_alerts=alerts.get(c.pk, 0)) for c in children]


def child_visits(child) -> list[ChildVisit]:
    return list(ChildVisit.objects.filter(child=child).select_related("session__posyandu")
                .order_by("visit_date", "id"))


def child_alerts(child) -> list[GrowthAlert]:
    return list(GrowthAlert.objects.filter(child=child).select_related("visit").order_by("resolved", "-raised_at"))


def open_alerts(posyandu=None, *, user=None, limit: int = 100) -> list[GrowthAlert]:
    qs = GrowthAlert.objects.filter(resolved=False).select_related("child__household__rt__rw", "visit")
    if posyandu is not None:
        qs = qs.filter(visit__session__posyandu=posyandu)
    if user is not None:
        ids = visible_posyandu_ids(user)
        if ids is not None:
            qs = qs.filter(visit__session__posyandu_id__in=ids)
    return list(qs.order_by("-raised_at")[:limit])


def session_summary(session: PosyanduSession) -> dict[str, int]:
    """Counts of the session's visits by the headline problems (for the session page)."""
    return ChildVisit.objects.filter(session=session).aggregate(
        measured=Count("id"),
        stunted=Count("id", filter=Q(haz__lt=-2)),
        wasted=Count("id", filter=Q(whz__lt=-2)),
        underweight=Count("id", filter=Q(waz__lt=-2)),
    )


def household_children(household) -> list[dict]:
    """The household's under-fives with their latest visit and open alerts (the household panel)."""
    from bansos.registry.models import Resident

    today = dt.date.today()
    kids = list(Resident.objects.filter(household=household, status="active",
                                        birth_date__gte=today - dt.timedelta(days=MAX_AGE_DAYS)))
    ids = [k.pk for k in kids] + list(ChildVisit.objects.filter(household=household)
                                      .values_list("child_id", flat=True).distinct())
    if not ids:
        return []
    if len(ids) != len(kids):
        kids = list(Resident.objects.filter(pk__in=set(ids)))
    latest: dict[int, ChildVisit] = {}
    for v in ChildVisit.objects.filter(child__in=kids).order_by("visit_date", "id"):
        latest[v.child_id] = v
    alerts: dict[int, list[GrowthAlert]] = {}
    for a in GrowthAlert.objects.filter(child__in=kids, resolved=False):
        alerts.setdefault(a.child_id, []).append(a)
    return [{"child": k, "latest": latest.get(k.pk), "alerts": alerts.get(k.pk, [])}
            for k in sorted(kids, key=lambda k: k.birth_date, reverse=True)]
