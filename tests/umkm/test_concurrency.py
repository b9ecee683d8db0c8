"""Two officers at the same moment: never more repaid than owed, never more capital than committed.

As a real race on PostgreSQL (threads with their own connections, released together), and one call after
the other on both databases; the outcome must be the same either way.
"""

from __future__ import annotations

import pytest
from django.db import connection

from bansos.umkm.models import CapitalSupport
from bansos.umkm.services.capital import capital_record, repayment_record
from tests.cash.test_concurrency import _in_turn, _race
from tests.umkm.conftest import CAPITAL, days_ago, loan_consistent, today

only_postgres = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="SQLite serialises writers; the sequential variant covers it")


def _repayments(cast, loan):
    _b, capital = loan(600_000, bp=0, term=6)
    jobs = [lambda: repayment_record(actor=cast["officer"], loan=capital, paid_on=today(), amount=400_000).amount,
            lambda: repayment_record(actor=cast["admin"], loan=capital, paid_on=today(), amount=400_000).amount]

    def check(results):
        assert sorted(results, key=str) == [400_000, "validation_failed"], results
        loan_consistent(capital)
        assert capital.repaid == 400_000

    return jobs, check


def _capital(cast, umkm):
    _p, _e, business = umkm()
    data = {"kind": "grant", "amount": CAPITAL - 1_000_000, "approved_on": days_ago(1)}
    jobs = [lambda: capital_record(actor=cast["officer"], business=business, data=data).amount,
            lambda: capital_record(actor=cast["admin"], business=business, data=data).amount]

    def check(results):
        assert sorted(results, key=str) == [CAPITAL - 1_000_000, "over_commitment"], results
        assert CapitalSupport.objects.count() == 1

    return jobs, check


CASES = {"repayments": (_repayments, "loan"), "capital": (_capital, "umkm")}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.django_db
def test_in_turn(case, cast, request):
    make, fixture = CASES[case]
    jobs, check = make(cast, request.getfixturevalue(fixture))
    check(_in_turn(jobs))


@only_postgres
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.django_db(transaction=True)
def test_as_a_race(case, cast, request):
    make, fixture = CASES[case]
    jobs, check = make(cast, request.getfixturevalue(fixture))
    check(_race(jobs))
