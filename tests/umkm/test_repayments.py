"""Repayments: oldest instalment first, refusals, reversal, arrears as of a date, and the counters."""

from __future__ import annotations

import datetime as dt

import random

import pytest
from django.db.models import F

from bansos.core.models import AuditEvent
from bansos.umkm import arithmetic as ar
from bansos.umkm.selectors import indicators_for
from bansos.umkm.services.capital import MSG_OVERPAY, repayment_record, repayment_reverse
from tests.umkm.conftest import days_ago, loan_consistent, refused, today

pytestmark = pytest.mark.django_db


def pay(cast, loan, amount, when=None, who="officer"):
    return repayment_record(actor=cast[who], loan=loan, paid_on=when or today(), amount=amount)


def test_a_repayment_fills_the_oldest_instalment_first(cast, loan):
    _b, capital = loan(1_200_000, bp=0, term=12)  # 100.000 a month
    pay(cast, capital, 150_000)
    rows = list(capital.installments.order_by("number").values_list("amount_paid", flat=True))
    assert rows[:3] == [100_000, 50_000, 0]
    pay(cast, capital, 60_000)
    rows = list(capital.installments.order_by("number").values_list("amount_paid", flat=True))
    assert rows[:4] == [100_000, 100_000, 10_000, 0]
    loan_consistent(capital)
    assert capital.repaid == 210_000
    assert AuditEvent.objects.filter(action="umkm.repayment.record").count() == 2


def test_refusals_change_nothing(cast, loan):
    _b, capital = loan(1_200_000, bp=1200, term=12)  # total due 1.344.000
    error = refused("validation_failed", pay, cast, capital, 1_344_001)
    assert error.errors == {"amount": [str(MSG_OVERPAY) % {"left": "Rp 1.344.000"}]}
    refused("validation_failed", pay, cast, capital, 0)
    refused("validation_failed", pay, cast, capital, -5)
    refused("validation_failed", pay, cast, capital, 1000, today() + dt.timedelta(days=1))  # future
    refused("validation_failed", pay, cast, capital, 1000, days_ago(401))  # before the disbursement
    _b2, pending = loan(1_000_000, disbursed=False, business=_b)
    refused("not_disbursed", pay, cast, pending, 1000)


def test_it_pays_off_exactly(cast, loan):
    _b, capital = loan(1_000_001, bp=700, term=7)
    pay(cast, capital, capital.total_due - 1)
    pay(cast, capital, 1)
    loan_consistent(capital)
    assert capital.repaid == capital.total_due
    assert not capital.installments.exclude(amount_paid=F("amount_due")).exists()
    refused("validation_failed", pay, cast, capital, 1)
    assert indicators_for([capital.business])[capital.business_id].repayment_status == ar.LUNAS


def test_a_reversal_refills_from_scratch(cast, loan):
    _b, capital = loan(1_200_000, bp=0, term=12)
    first = pay(cast, capital, 100_000, days_ago(20))
    second = pay(cast, capital, 250_000, days_ago(10))
    pay(cast, capital, 30_000)
    repayment_reverse(actor=cast["officer"], repayment=second, reason="Salah ketik nominal")
    loan_consistent(capital)
    assert capital.repaid == 130_000
    assert list(capital.installments.order_by("number").values_list("amount_paid", flat=True))[:3] == [
        100_000, 30_000, 0]
    second.refresh_from_db()
    assert (second.reversed_reason, second.reversed_by) == ("Salah ketik nominal", cast["officer"])
    event = AuditEvent.objects.get(action="umkm.repayment.reverse")
    assert (event.reason, event.changes["repaid"], event.household_id) == (
        "Salah ketik nominal", [380_000, 130_000], capital.business.household_id)
    refused("already_reversed", repayment_reverse, actor=cast["officer"], repayment=second, reason="lagi")
    refused("reason_required", repayment_reverse, actor=cast["officer"], repayment=first, reason="  ")


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident", "anonymous"])
def test_others_may_not_record_or_reverse_repayments(cast, loan, who):
    from django.contrib.auth.models import AnonymousUser

    _b, capital = loan()
    done = pay(cast, capital, 10_000)
    actor = AnonymousUser() if who == "anonymous" else cast[who]
    refused("permission_denied", repayment_record, actor=actor, loan=capital, paid_on=today(), amount=1000)
    refused("permission_denied", repayment_reverse, actor=actor, repayment=done, reason="x")


def test_the_admin_records_and_reverses(cast, loan):
    _b, capital = loan()
    done = pay(cast, capital, 10_000, who="admin")
    repayment_reverse(actor=cast["admin"], repayment=done, reason="Dobel")
    loan_consistent(capital)
    assert capital.repaid == 0


def test_arrears_days_at_the_boundaries(cast, loan):
    first_due = days_ago(0)
    _b, capital = loan(300_000, bp=0, term=3, first_due=first_due, approved=days_ago(30))
    business = capital.business
    # Due today: not overdue.
    ind = indicators_for([business])[business.pk]
    assert (ind.repayment_status, ind.days_overdue, ind.bucket) == (ar.LANCAR, 0, "")
    # As of tomorrow: one day.
    ind = indicators_for([business], on=today() + dt.timedelta(days=1))[business.pk]
    assert (ind.repayment_status, ind.days_overdue, ind.bucket) == (ar.MENUNGGAK, 1, "1-30")
    # Two months on: from the oldest unpaid due date, not the newest.
    later = ar.add_months(first_due, 2) + dt.timedelta(days=5)
    ind = indicators_for([business], on=later)[business.pk]
    assert ind.days_overdue == (later - first_due).days
    assert ind.bucket == "31-90"
    # A partial payment leaves the first instalment overdue.
    pay(cast, capital, 99_999)
    ind = indicators_for([business], on=today() + dt.timedelta(days=1))[business.pk]
    assert ind.days_overdue == 1
    pay(cast, capital, 1)
    ind = indicators_for([business], on=today() + dt.timedelta(days=1))[business.pk]
    assert (ind.repayment_status, ind.days_overdue) == (ar.LANCAR, 0)
    loan_consistent(capital)


def test_totals_of_support(cast, loan):
    from bansos.umkm.services.records import equipment_record

    business, capital = loan(1_000_000, bp=0, term=10)
    equipment_record(actor=cast["officer"], business=business, data={
        "item": "Mesin jahit", "value": 1_500_000, "given_on": days_ago(3)})
    ind = indicators_for([business])[business.pk]
    assert (ind.capital_disbursed, ind.equipment_value, ind.total_support, ind.outstanding) == (
        1_000_000, 1_500_000, 2_500_000, 1_000_000)


def test_the_counters_hold_through_random_payments_and_reversals(cast, loan):
    from bansos.core.errors import DomainError

    _b, capital = loan(987_654, bp=1375, term=9)
    rng = random.Random(6)
    made = []
    for _step in range(40):
        capital.refresh_from_db()
        live = [r for r in made if r.reversed_at is None]
        if live and rng.random() < 0.25:
            victim = rng.choice(live)
            repayment_reverse(actor=cast["officer"], repayment=victim, reason="Koreksi")
            victim.refresh_from_db()
        else:
            amount = rng.randint(1, max(1, (capital.total_due - capital.repaid) // 2 + 1000))
            try:
                made.append(pay(cast, capital, amount, days_ago(rng.randint(0, 300))))
            except DomainError as exc:
                assert exc.code == "validation_failed"
        loan_consistent(capital)
