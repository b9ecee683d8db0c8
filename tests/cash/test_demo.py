"""The cash demo: cycles in every state through the real services, money consistent, built once."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.cash.conftest import budget_consistent

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


def _snapshot():
    from bansos.cash.models import CashReceipt, Cycle, Entitlement, PayeeAccount, Payment, ResultUpload

    return (
        list(Cycle.objects.order_by("pk").values_list("program__name", "label", "state", "planned_count",
                                                       "planned_amount", "paid_count", "paid_amount",
                                                       "cancelled_count", "cancelled_amount")),
        list(Entitlement.objects.order_by("pk").values_list("cycle_id", "household_id", "amount", "state")),
        list(Payment.objects.order_by("pk").values_list("entitlement_id", "attempt", "reference", "amount", "status",
                                                         "account_number", "paid_on")),
        list(PayeeAccount.objects.order_by("pk").values_list("household_id", "account_number", "account_name")),
        list(ResultUpload.objects.order_by("pk").values_list("file_name", "paid_count", "failed_count",
                                                              "problem_count")),
        CashReceipt.objects.count(),
    )


def test_the_demo_makes_a_cycle_in_every_state_once_through_the_services(demo_admin):
    from bansos.accounts.models import User
    from bansos.cash.demo import BLT, ELDERLY, KJP_SD, demo_cash_create
    from bansos.cash.models import (
        CashReceipt, CashScheme, Cycle, CycleState, Entitlement, EntitlementState, PayeeAccount,
        PaymentInstitution, PaymentStatus, ResultUpload,
    )
    from bansos.cash.services.cycles import cycle_approve
    from bansos.cash.selectors import cycle_money
    from bansos.core.models import AuditEvent
    from bansos.programs.models import Program

    summary = demo_cash_create(actor=demo_admin, seed=7)
    assert summary["cycles"] == Cycle.objects.count() == 9
    assert set(PaymentInstitution.objects.values_list("kind", flat=True)) == {"bank", "post", "cash_office"}
    states = Counter(Cycle.objects.values_list("state", flat=True))
    assert set(states) == set(CycleState.values)

    by_label = {(c.program.name, c.label): c for c in Cycle.objects.select_related("program")}
    year = Program.objects.get(name=BLT).start_date.year
    march = by_label[(BLT, f"Maret {year}")]
    assert march.state == CycleState.CLOSED and march.batches.count() == 2
    assert march.results.count() == 2 and march.cancelled_count > 0 and march.paid_count > 0
    april = by_label[(BLT, f"April {year}")]
    assert april.state == CycleState.PAYING
    april_states = set(april.entitlements.values_list("state", flat=True))
    assert {EntitlementState.PAID, EntitlementState.FAILED, EntitlementState.SENT} <= april_states
    # The bank reported without a problem line: every reference and amount was the platform's own.
    assert not ResultUpload.objects.filter(problem_count__gt=0).exists()
    elderly_q2 = by_label[(ELDERLY, f"April\u2013Juni {year}")]
    assert elderly_q2.state == CycleState.PAYING and elderly_q2.institution.kind == "cash_office"
    assert CashReceipt.objects.filter(payment__batch__cycle=elderly_q2).count() == 5
    assert CashReceipt.objects.filter(receiver_note__gt="").exists()
    assert by_label[(ELDERLY, f"Januari\u2013Maret {year}")].state == CycleState.CLOSED
    assert by_label[(ELDERLY, f"Juli\u2013September {year}")].state == CycleState.APPROVED
    assert by_label[(KJP_SD, f"Januari {year}")].state == CycleState.CANCELLED
    assert CashScheme.objects.get(program__name=KJP_SD).per_child_sma == 420_000
    kjp_amounts = set(Entitlement.objects.filter(cycle__program__name=KJP_SD).values_list("amount", flat=True))
    assert kjp_amounts <= {250_000, 300_000, 420_000} and kjp_amounts

    # Maker and checker are the demo's officer and admin.
    officer = User.objects.get(username="petugas.sudinsos")
    approved = Cycle.objects.filter(approved_by__isnull=False)
    assert set(approved.values_list("generated_by", "approved_by")) == {(officer.pk, demo_admin.pk)}
    # Bank DKI's account list: one audit event per household, as payee_account_set writes.
    accounts = PayeeAccount.objects.filter(institution__kind="bank")
    assert AuditEvent.objects.filter(action="cash.account.set").count() == accounts.count() > 0
    assert set(AuditEvent.objects.filter(action="cash.account.set").values_list("household_id", flat=True)) == set(
        accounts.values_list("household_id", flat=True))
    assert march.generation_report["included"] == march.planned_count

    # Running totals agree with the entitlements, and every program's budget with its ledger.
    for cycle in Cycle.objects.all():
        money = cycle_money(cycle)
        assert cycle.paid_amount == money[EntitlementState.PAID]
        assert cycle.cancelled_amount == (money[EntitlementState.CANCELLED] if cycle.state != "cancelled" else 0)
        assert cycle.planned_amount == sum(money.values())
    assert not Entitlement.objects.filter(state=EntitlementState.PAID).exclude(
        payments__status=PaymentStatus.PAID).exists()
    for program in Program.objects.all():
        budget_consistent(program)

    # A second run changes nothing.
    before = _snapshot()
    assert demo_cash_create(actor=demo_admin, seed=7) == {}
    assert _snapshot() == before

    # The waiting May cycle is the admin's to approve, within the budget.
    may = by_label[(BLT, f"Mei {year}")]
    assert may.state == CycleState.GENERATED and may.generated_by == officer
    assert cycle_approve(actor=demo_admin, cycle=may).state == CycleState.APPROVED
    budget_consistent(may.program)

