"""The UMKM demo: businesses with grants, loans in every repayment state, revenue trends, a closed one."""

from __future__ import annotations

import pytest

from tests.programs.conftest import budget_consistent
from tests.umkm.conftest import loan_consistent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_admin():
    from bansos.accounts.models import User
    from bansos.demo.services import demo_accounts_create, demo_agencies_create, demo_seed
    from bansos.demo.targeting import demo_targeting_create
    from bansos.programs.demo import demo_programs_create

    demo_seed(households=2000, seed=7)
    demo_agencies_create()
    demo_accounts_create()
    admin = User.objects.get(username="admin")
    demo_targeting_create(actor=admin, seed=7)
    demo_programs_create(actor=admin, seed=7)
    return admin


def test_the_demo_builds_businesses_through_the_services_once(demo_admin):
    from bansos.programs.models import Program
    from bansos.umkm import arithmetic as ar
    from bansos.umkm.demo import PROGRAM, demo_umkm_create
    from bansos.umkm.models import Business, CapitalSupport
    from bansos.umkm.selectors import indicators_for

    made = demo_umkm_create(actor=demo_admin, seed=7)
    assert made is not None, made
    businesses = list(Business.objects.all())
    assert made["businesses"] == len(businesses) >= 6
    found = indicators_for(businesses)
    statuses = {i.repayment_status for i in found.values()}
    assert {ar.LUNAS, ar.LANCAR, ar.MENUNGGAK} <= statuses
    assert {i.bucket for i in found.values()} >= {"1-30", "90+"}
    assert {i.trend.code for i in found.values()} >= {ar.NAIK, ar.TURUN}
    assert Business.objects.filter(status="closed").count() == 1
    assert CapitalSupport.objects.filter(kind="grant", disbursed_on__isnull=False).exists()
    for loan in CapitalSupport.objects.filter(kind="loan"):
        loan_consistent(loan)
    budget_consistent(Program.objects.get(name=PROGRAM))
    # Once: a second run adds nothing.
    assert demo_umkm_create(actor=demo_admin, seed=7) is None
    assert Business.objects.count() == len(businesses)


def test_without_the_program_it_does_nothing(db):
    from bansos.umkm.demo import demo_umkm_create

    assert demo_umkm_create(actor=None, seed=1) is None
