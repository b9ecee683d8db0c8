"""Cash events in a household's history, as each role may read them."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def _events(household):
    from bansos.core.models import AuditEvent

    return list(AuditEvent.objects.filter(household_id=household.pk).order_by("pk"))


def test_other_agency_reads_payments_without_the_program(cast, cash_world):
    from bansos.cash.services.cycles import cycle_approve, cycle_create, cycle_generate
    from bansos.cash.services.payments import batch_create
    from tests.cash.conftest import refs, upload
    from bansos.registry.panels import history_for

    program, enrollments = cash_world(1)
    cycle = cycle_create(actor=cast["officer"], program=program, period_start=dt.date(2026, 2, 1))
    cycle_generate(actor=cast["officer"], cycle=cycle)
    cycle_approve(actor=cast["admin"], cycle=cycle)
    batch_create(actor=cast["officer"], cycle=cycle)
    upload(cast["officer"], cycle, [(refs(cycle)[0], "paid", "", "", 300000)])
    household = enrollments[0].household

    own = [e for e in history_for(user=cast["officer"], events=_events(household)) if e.action == "cash.paid"]
    assert own and program.name in own[0].changes["cycle"]
    other = [e for e in history_for(user=cast["officer_other"], events=_events(household)) if e.action == "cash.paid"]
    assert other and other[0].changes == {} and program.name not in other[0].object_label
    # Nothing was saved by the redaction.
    assert program.name in _events(household)[-1].changes.get("cycle", program.name)


def test_account_numbers_masked_for_area_staff(cast, cash_world):
    from bansos.registry.panels import history_for

    _program, enrollments = cash_world(1)
    household = enrollments[0].household
    events = [e for e in history_for(user=cast["surveyor"], events=_events(household)) if e.action == "cash.account.set"]
    assert events and events[0].changes["account_number"][1].endswith("0000")
    assert "12345" not in events[0].changes["account_number"][1]
    admin_view = [e for e in history_for(user=cast["admin"], events=_events(household))
                  if e.action == "cash.account.set"]
    assert admin_view[0].changes["account_number"][1] == "1234500000"
