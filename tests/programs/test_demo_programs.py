"""The programs demo: realistic, consistent with the services' own rules, and reproducible from the seed."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Sum

from bansos.accounts.models import Agency, User
from bansos.core.models import AuditEvent
from bansos.programs.demo import demo_programs_create
from bansos.programs.models import (
    Enrollment, EnrollmentState, FundingSource, OverlapPolicy, Program, ProgramKind, Referral, ReferralStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_admin():
    from bansos.demo.services import demo_accounts_create, demo_agencies_create, demo_seed
    from bansos.demo.targeting import demo_targeting_create

    demo_seed(households=2000, seed=7)
    demo_agencies_create()
    demo_accounts_create()
    admin = User.objects.get(username="admin")
    demo_targeting_create(actor=admin, seed=7)
    return admin


def _snapshot():
    return (
        list(Program.objects.order_by("pk").values_list("name", "kind", "agency__name", "status", "rule__name",
                                                         "budget_allocated", "budget_committed", "seats_taken")),
        list(Enrollment.objects.order_by("pk").values_list("program__name", "household_id", "resident_id", "state",
                                                            "channel", "reason")),
        list(Referral.objects.order_by("pk").values_list("household_id", "from_program__name", "to_program__name",
                                                          "status")),
    )


def test_the_demo_builds_programs_states_and_referrals_through_the_services(demo_admin):
    summary = demo_programs_create(actor=demo_admin, seed=7)
    assert summary["programs"] == Program.objects.count() == 8
    kinds = set(Program.objects.values_list("kind", flat=True))
    assert {ProgramKind.CASH, ProgramKind.TRAINING, ProgramKind.ENTERPRISE, ProgramKind.EDUCATION,
            ProgramKind.HEALTH} <= kinds
    agency_kinds = set(Agency.objects.filter(programs__isnull=False).values_list("kind", flat=True))
    assert agency_kinds == {"government", "ngo", "business", "community"}
    assert set(FundingSource.objects.values_list("kind", flat=True)) == {"apbd", "apbn", "csr", "donor", "community"}
    assert set(OverlapPolicy.objects.values_list("kind_a", "kind_b", "effect")) == {
        ("cash", "cash", "forbid"), ("training", "training", "warn")}
    # Reference amounts of DESIGN §8.
    amounts = dict(Program.objects.values_list("name", "benefit_amount"))
    assert (amounts["KJP Plus Jenjang SD"], amounts["KJP Plus Jenjang SMP"]) == (250_000, 300_000)
    assert amounts["Kartu Lansia Jakarta (KLJ)"] == 900_000  # Rp 300.000 a month, paid per quarter

    # A realistic spread of states, with reasons where the workflow asks for them.
    states = Counter(Enrollment.objects.values_list("state", flat=True))
    assert set(states) == set(EnrollmentState.values)
    assert states["approved"] + states["active"] > len(list(states.elements())) / 2
    assert not Enrollment.objects.filter(state__in=("rejected", "exited", "suspended"), reason="").exists()
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    path = set(Referral.objects.values_list("from_program__kind", "to_program__kind"))
    assert path == {("cash", "training"), ("training", "enterprise")}
    assert Referral.objects.filter(status="enrolled", enrollment__isnull=False).count() == \
        Referral.objects.filter(status="enrolled").count()

    # Money and the audit trail are as the services keep them.
    for program in Program.objects.all():
        money = Enrollment.objects.filter(program=program).aggregate(c=Sum("committed_amount"),
                                                                     d=Sum("disbursed_amount"))
        assert program.budget_committed == (money["c"] or 0) <= program.budget_allocated
        assert program.budget_disbursed == (money["d"] or 0)
    applied = AuditEvent.objects.filter(action="enrollment.apply").count()
    assert applied == Enrollment.objects.count()
    # The officer of the demo works for an agency that runs programs and did the work on them.
    officer = User.objects.get(username="petugas.sudinsos")
    assert Program.objects.filter(agency=officer.agency).count() >= 2
    assert AuditEvent.objects.filter(actor=officer, action="enrollment.approve").exists()


def test_the_demo_is_reproducible_and_runs_once(demo_admin):
    demo_programs_create(actor=demo_admin, seed=7)
    first = _snapshot()
    assert demo_programs_create(actor=demo_admin, seed=7) == {}
    assert _snapshot() == first
    Referral.objects.all().delete()
    Enrollment.objects.all().delete()
    for program in Program.objects.all():
        program.allocations.all().delete()
    Program.objects.all().delete()
    FundingSource.objects.all().delete()
    demo_programs_create(actor=demo_admin, seed=7)
    assert _snapshot() == first
