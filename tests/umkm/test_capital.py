"""Capital grants and loans: within the enrollment's commitment, disbursed from the program's budget."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.core.models import AuditEvent
from bansos.programs.models import BudgetMovement
from bansos.umkm.models import CapitalSupport, Installment
from bansos.umkm.services.capital import MSG_OVER_COMMITMENT, capital_disburse, capital_record
from tests.programs.conftest import budget_consistent
from tests.umkm.conftest import CAPITAL, days_ago, refused, today

pytestmark = pytest.mark.django_db


def grant(amount: int = 2_000_000, **extra) -> dict:
    return {"kind": "grant", "amount": amount, "approved_on": days_ago(10), **extra}


def test_a_grant_is_recorded_then_disbursed_moving_committed_to_disbursed(cast, umkm):
    program, enrollment, business = umkm()
    program.refresh_from_db()
    committed, disbursed = program.budget_committed, program.budget_disbursed
    capital = capital_record(actor=cast["officer"], business=business, data=grant())
    assert (capital.enrollment, capital.total_due, capital.disbursed_on) == (enrollment, 0, None)
    program.refresh_from_db()
    assert (program.budget_committed, program.budget_disbursed) == (committed, disbursed)  # not paid yet
    capital = capital_disburse(actor=cast["officer"], capital=capital, disbursed_on=days_ago(5))
    assert capital.disbursed_on == days_ago(5)
    program.refresh_from_db()
    enrollment.refresh_from_db()
    assert (program.budget_committed, program.budget_disbursed) == (committed, disbursed + 2_000_000)
    assert enrollment.disbursed_amount == 2_000_000
    assert BudgetMovement.objects.filter(program=program, kind="disburse").get().amount == 2_000_000
    budget_consistent(program)
    assert AuditEvent.objects.filter(action__in=("umkm.capital.record", "umkm.capital.disburse"),
                                     household_id=business.household_id).count() == 2


def test_a_loan_gets_its_schedule_when_recorded(cast, umkm):
    _p, _e, business = umkm()
    loan = capital_record(actor=cast["officer"], business=business, data={
        "kind": "loan", "amount": 1_000_000, "interest_bp_year": 1000, "term_months": 12,
        "first_due_date": dt.date(2026, 1, 31), "approved_on": dt.date(2025, 12, 20)})
    assert loan.total_due == 1_100_000
    rows = list(Installment.objects.filter(loan=loan).order_by("number").values_list("due_date", "amount_due"))
    assert rows[:3] == [(dt.date(2026, 1, 31), 91_667), (dt.date(2026, 2, 28), 91_667), (dt.date(2026, 3, 31), 91_667)]
    assert sum(a for _d, a in rows) == 1_100_000


def test_capital_must_fit_what_the_enrollment_still_has(cast, umkm):
    _p, enrollment, business = umkm()
    capital_record(actor=cast["officer"], business=business, data=grant(3_000_000))
    # 5.000.000 committed, 3.000.000 recorded and not paid out yet: 2.000.000 left.
    error = refused("over_commitment", capital_record, actor=cast["officer"], business=business,
                    data=grant(2_000_001))
    assert error.text == str(MSG_OVER_COMMITMENT) % {"left": "Rp 2.000.000"}
    capital_record(actor=cast["officer"], business=business, data=grant(2_000_000))
    refused("over_commitment", capital_record, actor=cast["officer"], business=business, data=grant(1))


def test_capital_needs_an_approved_or_active_enrollment(cast, umkm):
    _p, _e, business = umkm("verified")  # enrolled, but nothing committed yet
    refused("enrollment_not_receiving", capital_record, actor=cast["officer"], business=business, data=grant())


def test_disbursement_refuses_once_the_enrollment_ended(cast, umkm):
    from bansos.programs.services.enrollment import enrollment_transition

    _p, enrollment, business = umkm()
    capital = capital_record(actor=cast["officer"], business=business, data=grant())
    enrollment_transition(actor=cast["admin"], enrollment=enrollment, to="exited", reason="Pindah domisili")
    refused("enrollment_ended", capital_disburse, actor=cast["officer"], capital=capital, disbursed_on=today())


def test_disbursement_rules(cast, umkm):
    _p, _e, business = umkm()
    capital = capital_record(actor=cast["officer"], business=business, data=grant())
    refused("date_future", capital_disburse, actor=cast["officer"], capital=capital,
            disbursed_on=today() + dt.timedelta(days=1))
    refused("disburse_before_approval", capital_disburse, actor=cast["officer"], capital=capital,
            disbursed_on=days_ago(11))
    capital_disburse(actor=cast["officer"], capital=capital, disbursed_on=today())
    refused("already_disbursed", capital_disburse, actor=cast["officer"], capital=capital, disbursed_on=today())


def test_bad_loan_terms(cast, umkm):
    _p, _e, business = umkm()
    error = refused("validation_failed", capital_record, actor=cast["officer"], business=business, data={
        "kind": "loan", "amount": 0, "interest_bp_year": 20_000, "term_months": 0,
        "first_due_date": days_ago(30), "approved_on": days_ago(10)})
    assert set(error.errors) == {"amount", "interest_bp_year", "term_months", "first_due_date"}
    error = refused("validation_failed", capital_record, actor=cast["officer"], business=business,
                    data={"kind": "gift", "amount": "100", "approved_on": None})
    assert set(error.errors) == {"kind", "amount", "approved_on"}


def test_a_closed_business_gets_no_new_capital(cast, umkm):
    from bansos.umkm.services.businesses import business_close

    _p, _e, business = umkm()
    business_close(actor=cast["officer"], business=business, closed_on=today(), reason="Tutup")
    refused("business_closed", capital_record, actor=cast["officer"], business=business, data=grant())


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident", "anonymous"])
def test_others_may_not_record_or_disburse(cast, umkm, who):
    from django.contrib.auth.models import AnonymousUser

    _p, _e, business = umkm()
    capital = capital_record(actor=cast["officer"], business=business, data=grant())
    actor = AnonymousUser() if who == "anonymous" else cast[who]
    refused("permission_denied", capital_record, actor=actor, business=business, data=grant(1000))
    refused("permission_denied", capital_disburse, actor=actor, capital=capital, disbursed_on=today())


def test_the_admin_records_for_any_agency(cast, umkm):
    _p, _e, business = umkm(agency_key="lsm")
    capital = capital_record(actor=cast["admin"], business=business, data=grant(CAPITAL))
    capital_disburse(actor=cast["admin"], capital=capital, disbursed_on=today())
    assert CapitalSupport.objects.get().disbursed_on == today()
