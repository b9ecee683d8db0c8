"""UMKM fixtures: an enterprise program of the officer's agency, an enrolled household, a business."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.programs.conftest import enrol, households, make_program, source  # noqa: F401

CAPITAL = 5_000_000


def today() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


@pytest.fixture
def umkm_program(make_program):
    """``umkm_program(agency_key="dinsos", budget=CAPITAL * 4, amount=CAPITAL)`` -> an open enterprise program."""

    def make(agency_key: str = "dinsos", *, budget: int = CAPITAL * 4, amount: int = CAPITAL):
        return make_program(agency_key, budget=budget, name="Modal Usaha UMKM Pemula", kind="enterprise",
                            benefit_kind="capital", benefit_amount=amount, benefit_periods=1,
                            target_groups=["micro_business"], start_date=dt.date(2020, 1, 1),
                            end_date=dt.date(2099, 12, 31))

    return make


def owner_of(household):
    """The spouse (Siti Aminah, a woman born 1982) or, in a female-headed family, the head."""
    members = sorted(household.residents.all(), key=lambda r: r.pk)
    return next((r for r in members if r.relation == "spouse"), members[0])


def business_data(**extra) -> dict:
    data = {"name": "Keripik Singkong Bu Siti", "sector": "food", "products": "Keripik singkong balado",
            "started_on": dt.date(2024, 3, 1), "address": "Jl. Duri Raya No. 12", "nib": ""}
    data.update(extra)
    return data


@pytest.fixture
def umkm(cast, umkm_program, enrol):
    """``umkm(state="active", agency_key="dinsos", household=cast rw1, **profile)`` -> (program, enrollment, business)."""
    from bansos.umkm.services.businesses import business_create

    def make(state: str = "active", *, agency_key: str = "dinsos", household=None, program=None, **profile):
        program = program or umkm_program(agency_key)
        household = household or cast["households"]["rw1"]
        enrollment = enrol(program, household, state)
        business = business_create(actor=cast["admin"], owner=owner_of(household), program=program,
                                   data=business_data(**profile))
        return program, enrollment, business

    return make


@pytest.fixture
def loan(cast, umkm):
    """``loan(amount=1_200_000, bp=1200, term=12, first_due=..., disbursed=True)`` -> (business, loan)."""
    from bansos.umkm.services.capital import capital_disburse, capital_record

    def make(amount: int = 1_200_000, *, bp: int = 1200, term: int = 12, first_due: dt.date | None = None,
             approved: dt.date | None = None, disbursed: bool = True, business=None):
        if business is None:
            _p, _e, business = umkm()
        approved = approved or days_ago(400)
        capital = capital_record(actor=cast["admin"], business=business, data={
            "kind": "loan", "amount": amount, "interest_bp_year": bp, "term_months": term,
            "first_due_date": first_due or approved + dt.timedelta(days=30), "approved_on": approved})
        if disbursed:
            capital = capital_disburse(actor=cast["admin"], capital=capital, disbursed_on=approved)
        capital.refresh_from_db()
        return business, capital

    return make


def umkm_state() -> dict:
    """Every row the umkm services write (and the programs' money), to assert a refusal changed nothing."""
    from bansos.umkm.models import (
        Business, CapitalSupport, EquipmentSupport, Installment, Mentoring, Repayment, RevenueLog,
    )
    from tests.programs.conftest import world

    return {
        **world(),
        "businesses": list(Business.objects.order_by("pk").values()),
        "capital": list(CapitalSupport.objects.order_by("pk").values()),
        "installments": list(Installment.objects.order_by("pk").values()),
        "repayments": list(Repayment.objects.order_by("pk").values()),
        "equipment": list(EquipmentSupport.objects.order_by("pk").values()),
        "mentoring": list(Mentoring.objects.order_by("pk").values()),
        "revenue": list(RevenueLog.objects.order_by("pk").values()),
    }


def refused(code: str, call, *args, **kwargs):
    """Call a service that must refuse with ``code`` and change nothing; returns the error."""
    from bansos.core.errors import DomainError

    before = umkm_state()
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert umkm_state() == before
    return caught.value


def loan_consistent(loan) -> None:
    """repaid = Σ repayments not reversed = Σ instalments' amount_paid; instalments add up to total_due."""
    from django.db.models import Sum

    loan.refresh_from_db()
    live = loan.repayments.filter(reversed_at__isnull=True).aggregate(s=Sum("amount"))["s"] or 0
    rows = list(loan.installments.order_by("number"))
    assert loan.repaid == live == sum(r.amount_paid for r in rows)
    assert sum(r.amount_due for r in rows) == loan.total_due
    # Filled oldest first: no instalment is paid while an earlier one is not complete.
    seen_partial = False
    for r in rows:
        if seen_partial:
            assert r.amount_paid == 0
        if r.amount_paid < r.amount_due:
            seen_partial = True
