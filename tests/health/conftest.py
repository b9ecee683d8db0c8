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


@pytest.fixture
def woman(cast):
    """``woman(household_key="rw1", age=28)``: a new woman of that age (years) in a cast household."""
    from bansos.registry.services import resident_add

    def make(household_key: str = "rw1", *, age: int = 28, name: str = "Ratna Sari"):
        household = cast["households"][household_key]
        today = timezone.localdate()
        birth = dt.date(today.year - age, today.month, min(today.day, 28)) - dt.timedelta(days=40)
        return resident_add(actor=cast["admin"], household=household,
                            data=person(name, "P", birth, "other", marital_status="married"), reason="pindah masuk")

    return make


def maternal_state() -> tuple:
    from bansos.core.models import AuditEvent
    from bansos.health.models_maternal import (
        AntenatalVisit, Delivery, EducationAttendance, EducationSession, HealthDeath, PostnatalVisit, Pregnancy,
        Referral,
    )
    from bansos.registry.models import Resident

    return (list(Pregnancy.objects.order_by("id").values_list("status", "edd", "ended_on")),
            AntenatalVisit.objects.count(), Delivery.objects.count(), PostnatalVisit.objects.count(),
            HealthDeath.objects.count(), EducationSession.objects.count(), EducationAttendance.objects.count(),
            list(Referral.objects.order_by("id").values_list("outcome", "follow_up_date")),
            list(Resident.objects.filter(pregnant=True).order_by("id").values_list("id", flat=True)),
            AuditEvent.objects.count())


def refused_maternal(code: str, call, *args, **kwargs):
    """Call a maternal-care service that must refuse with ``code`` and change nothing; returns the error."""
    from bansos.core.errors import DomainError

    before = maternal_state()
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert maternal_state() == before
    return caught.value
