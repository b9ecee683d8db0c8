"""Health fixtures: under-fives in the cast's households, posyandu sessions, and a ``refused`` helper."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import person


def months_ago(n: int, day: int = 10) -> dt.date:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - n
    date = dt.date(index // 12, index % 12 + 1, day)
    return min(date, today)


@pytest.fixture
def kid(cast):
    """``kid(household_key="rw1", days=400, sex="L")``: a new child of that age today in a cast household."""
    from bansos.registry.services import resident_add

    def make(household_key: str = "rw1", *, days: int = 400, sex: str = "L", name: str = "Bayu Saputra"):
        household = cast["households"][household_key]
        birth = timezone.localdate() - dt.timedelta(days=days)
        return resident_add(actor=cast["admin"], household=household,
                            data=person(name, sex, birth, "child"), reason="kelahiran")

    return make


@pytest.fixture
def session_at(cast, areas):
    """``session_at(months=0, posyandu="pos1")``: the posyandu's session ``months`` ago (opened by the admin)."""
    from bansos.health.models import PosyanduSession
    from bansos.health.services import session_open

    def make(months: int = 0, posyandu: str = "pos1"):
        date = months_ago(months)
        found = PosyanduSession.objects.filter(posyandu=areas[posyandu], month=date.replace(day=1)).first()
        return found or session_open(actor=cast["admin"], posyandu=areas[posyandu], date=date, place="Balai RW")

    return make


def health_state() -> tuple:
    from bansos.core.models import AuditEvent
    from bansos.health.models import ChildVisit, GrowthAlert, PosyanduSession

    return (PosyanduSession.objects.count(), ChildVisit.objects.count(),
            list(ChildVisit.objects.order_by("id").values_list("weight_kg", "length_cm", "waz", "haz", "whz")),
            GrowthAlert.objects.count(), GrowthAlert.objects.filter(resolved=True).count(),
            AuditEvent.objects.count())


def refused(code: str, call, *args, **kwargs):
    """Call a service that must refuse with ``code`` and change nothing; returns the error."""
    from bansos.core.errors import DomainError

    before = health_state()
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert health_state() == before
    return caught.value
