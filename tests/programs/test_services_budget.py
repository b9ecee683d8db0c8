"""Budgets: commitment at approval, release at the end, disbursement within commitment, allocations."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent
from bansos.programs.models import Allocation, BudgetMovement, Enrollment, FundingSource, MovementKind
from bansos.programs.services import enrollment as svc
from bansos.programs.services import funding
from tests.programs.conftest import REASON, budget_consistent, world

pytestmark = pytest.mark.django_db

COST = 900_000  # 3 periods x Rp 300.000


def _verified(cast, make_program, enrol, households, n, **program):
    program = make_program(**program)
    extra = households(max(0, n - 3))
    hh = [cast["households"]["rw1"], cast["households"]["rw1_rt2"], cast["households"]["rw2"], *extra][:n]
    return program, [enrol(program, h, "verified") for h in hh]


# --- Commitment -----------------------------------------------------------------------------------


def test_it_approves_until_the_budget_is_used_and_then_refuses(cast, make_program, enrol, households):
    officer = cast["officer"]
    program, (a, b, c) = _verified(cast, make_program, enrol, households, 3, budget=2 * COST)
    svc.enrollment_approve(actor=officer, enrollment=a)
    svc.enrollment_approve(actor=officer, enrollment=b)
    program.refresh_from_db()
    assert (program.budget_committed, program.budget_remaining, program.seats_taken) == (2 * COST, 0, 2)
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=officer, enrollment=c)
    assert caught.value.code == "budget_exhausted"
    assert caught.value.text == (
        "Anggaran program tidak cukup: sisa Rp 0, dibutuhkan Rp 900.000. Tambahkan alokasi dana dahulu.")
    assert world() == before
    c.refresh_from_db()
    assert (c.state, c.committed_amount, c.decided_at) == ("verified", 0, None)
    budget_consistent(program)


def test_it_refuses_when_the_remainder_is_less_than_one_participant(cast, make_program, enrol):
    program = make_program(budget=COST - 1)
    enrollment = enrol(program, cast["households"]["rw1"], "verified")
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=enrollment)
    assert (caught.value.code, caught.value.params["remaining"]) == ("budget_exhausted", "Rp 899.999")
    assert world() == before


def test_it_approves_after_more_money_is_allocated(cast, make_program, enrol, source):
    program = make_program(budget=COST)
    first = enrol(program, cast["households"]["rw1"], "approved")
    second = enrol(program, cast["households"]["rw2"], "verified")
    with pytest.raises(DomainError):
        svc.enrollment_approve(actor=cast["officer"], enrollment=second)
    funding.funding_allocate(actor=cast["officer"], source=source, program=program, amount=COST)
    assert svc.enrollment_approve(actor=cast["officer"], enrollment=second).committed_amount == COST
    assert first.committed_amount == COST
    budget_consistent(program)


def test_it_writes_one_commit_movement_per_approval(cast, make_program, enrol):
    program = make_program(budget=COST)
    enrollment = enrol(program, cast["households"]["rw1"], "approved", actor=cast["officer"])
    move = BudgetMovement.objects.get(program=program, kind=MovementKind.COMMIT)
    assert (move.amount, move.participants, move.actor, move.note) == (
        COST, 1, cast["officer"], f"enrollment {enrollment.pk}")


def test_it_approves_into_a_free_program_without_budget(cast, make_program, enrol):
    program = make_program(benefit_kind="service", benefit_amount=0)
    enrollment = enrol(program, cast["households"]["rw1"], "approved")
    program.refresh_from_db()
    assert (enrollment.committed_amount, program.budget_committed, program.seats_taken) == (0, 0, 1)
    budget_consistent(program)


# --- Release --------------------------------------------------------------------------------------


def test_it_returns_money_and_place_on_an_exit_before_starting(cast, make_program, enrol):
    program = make_program(budget=COST, capacity=1)
    leaving = enrol(program, cast["households"]["rw1"], "approved")
    waiting = enrol(program, cast["households"]["rw2"], "verified")
    svc.enrollment_exit(actor=cast["officer"], enrollment=leaving, reason="pindah domisili")
    program.refresh_from_db()
    assert (program.budget_committed, program.seats_taken) == (0, 0)
    move = BudgetMovement.objects.get(program=program, kind=MovementKind.RELEASE)
    assert (move.amount, move.participants) == (-COST, 1)
    assert svc.enrollment_approve(actor=cast["officer"], enrollment=waiting).state == "approved"
    budget_consistent(program)


@pytest.mark.parametrize(("path", "end"), [
    (["active"], "graduated"), (["active"], "exited"), (["active", "suspended"], "exited"),
])
def test_it_releases_the_unspent_part_and_keeps_the_place_after_starting(cast, make_program, enrol, path,
                                                                             end):
    officer = cast["officer"]
    program = make_program(budget=COST, capacity=1)
    enrollment = enrol(program, cast["households"]["rw1"], "approved")
    svc.enrollment_start(actor=officer, enrollment=enrollment)
    funding.enrollment_disburse(actor=officer, enrollment=enrollment, amount=300_000, note="Januari")
    for state in path[1:]:
        svc.enrollment_transition(actor=officer, enrollment=enrollment, to=state, reason=REASON)
    svc.enrollment_transition(actor=officer, enrollment=enrollment, to=end, reason=REASON)
    enrollment.refresh_from_db()
    program.refresh_from_db()
    assert (enrollment.committed_amount, enrollment.disbursed_amount) == (300_000, 300_000)
    assert (program.budget_committed, program.budget_disbursed, program.seats_taken) == (300_000, 300_000, 1)
    move = BudgetMovement.objects.get(program=program, kind=MovementKind.RELEASE)
    assert (move.amount, move.participants) == (-600_000, 0)
    budget_consistent(program)
    # The place stays taken: the capacity of 1 is used by the one who took part.
    other = enrol(program, cast["households"]["rw2"], "verified")
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=officer, enrollment=other)
    assert caught.value.code == "capacity_full"


def test_it_releases_nothing_for_a_fully_paid_participant(cast, make_program, enrol):
    officer = cast["officer"]
    program = make_program(budget=COST)
    enrollment = enrol(program, cast["households"]["rw1"], "active")
    funding.enrollment_disburse(actor=officer, enrollment=enrollment, amount=COST)
    svc.enrollment_graduate(actor=officer, enrollment=enrollment)
    assert not BudgetMovement.objects.filter(program=program, kind=MovementKind.RELEASE).exists()
    event = AuditEvent.objects.filter(action="enrollment.graduate").get()
    assert "released_amount" not in event.changes
    budget_consistent(program)


# --- Disbursement ---------------------------------------------------------------------------------


def test_it_disburses_within_the_commitment(cast, make_program, enrol):
    officer = cast["officer"]
    program = make_program(budget=COST)
    enrollment = enrol(program, cast["households"]["rw1"], "active")
    for _month in range(3):
        enrollment = funding.enrollment_disburse(actor=officer, enrollment=enrollment, amount=300_000,
                                                 note="bulanan")
    program.refresh_from_db()
    assert (enrollment.disbursed_amount, program.budget_disbursed) == (COST, COST)
    assert BudgetMovement.objects.filter(program=program, kind=MovementKind.DISBURSE).count() == 3
    event = AuditEvent.objects.filter(action="budget.disburse").first()
    assert (event.actor, event.household_id, event.changes, event.reason) == (
        officer, enrollment.household_id, {"amount": 300_000}, "bulanan")
    before = world()
    with pytest.raises(DomainError) as caught:
        funding.enrollment_disburse(actor=officer, enrollment=enrollment, amount=1)
    assert (caught.value.code, caught.value.text) == (
        "disburse_too_much", "Penyaluran melebihi komitmen peserta: sisa komitmen Rp 0.")
    assert world() == before
    budget_consistent(program)


def test_it_refuses_a_disbursement_beyond_what_is_left(cast, make_program, enrol):
    program = make_program(budget=COST)
    enrollment = enrol(program, cast["households"]["rw1"], "active")
    funding.enrollment_disburse(actor=cast["officer"], enrollment=enrollment, amount=800_000)
    before = world()
    with pytest.raises(DomainError) as caught:
        funding.enrollment_disburse(actor=cast["officer"], enrollment=enrollment, amount=100_001)
    assert caught.value.params == {"left": "Rp 100.000"}
    assert world() == before


@pytest.mark.parametrize("state", ["applied", "verified", "rejected"])
def test_it_disburses_nothing_without_a_commitment(cast, make_program, enrol, state):
    enrollment = enrol(make_program(budget=COST), cast["households"]["rw1"], state)
    before = world()
    with pytest.raises(DomainError) as caught:
        funding.enrollment_disburse(actor=cast["officer"], enrollment=enrollment, amount=1)
    assert caught.value.code == "disburse_too_much"
    assert world() == before


@pytest.mark.parametrize("amount", [0, -1, True, "300000", 1.5])
def test_it_refuses_a_disbursement_amount_that_is_not_positive_rupiah(cast, make_program, enrol, amount):
    enrollment = enrol(make_program(budget=COST), cast["households"]["rw1"], "active")
    before = world()
    with pytest.raises(DomainError) as caught:
        funding.enrollment_disburse(actor=cast["officer"], enrollment=enrollment, amount=amount)
    assert (caught.value.code, caught.value.field) == ("amount_invalid", "amount")
    assert world() == before


# --- Allocations and withdrawals ------------------------------------------------------------------


def _source(cast, agencies, *, agency=None, shared=True, amount=10_000_000, name="Hibah"):
    return funding.funding_source_create(actor=cast["admin"], data={
        "name": name, "kind": "donor", "agency": agencies[agency] if agency else None, "shared": shared,
        "fiscal_year": 2026, "amount": amount,
    })


def test_it_allocates_from_a_source_to_a_program(cast, agencies, make_program):
    source = _source(cast, agencies)
    program = make_program()
    allocation = funding.funding_allocate(actor=cast["officer"], source=source, program=program,
                                          amount=4_000_000,
                                          note="tahap 1")
    source.refresh_from_db()
    program.refresh_from_db()
    assert (source.allocated, source.available, program.budget_allocated) == (4_000_000, 6_000_000, 4_000_000)
    assert (allocation.amount, allocation.actor, allocation.note) == (4_000_000, cast["officer"], "tahap 1")
    move = BudgetMovement.objects.get(program=program, kind=MovementKind.ALLOCATE)
    assert (move.amount, move.actor) == (4_000_000, cast["officer"])
    event = AuditEvent.objects.get(action="funding.allocate")
    assert (event.actor, event.object_id, event.changes, event.reason) == (
        cast["officer"], str(program.pk), {"source": "Hibah (2026)", "amount": 4_000_000}, "tahap 1")
    budget_consistent(program)


def test_it_allocates_everything_a_source_has_but_not_more(cast, agencies, make_program):
    source = _source(cast, agencies, amount=5_000_000)
    first, second = make_program(), make_program(name="Program Kedua")
    funding.funding_allocate(actor=cast["admin"], source=source, program=first, amount=3_000_000)
    before = world()
    with pytest.raises(DomainError) as caught:
        funding.funding_allocate(actor=cast["admin"], source=source, program=second, amount=2_000_001)
    assert (caught.value.code, caught.value.field, caught.value.text) == (
        "source_not_enough", "amount", "Sisa sumber dana tidak cukup: tersedia Rp 2.000.000.")
    assert world() == before
    funding.funding_allocate(actor=cast["admin"], source=source, program=second, amount=2_000_000)
    source.refresh_from_db()
    assert source.available == 0


@pytest.mark.parametrize("amount", [0, True, "1000", 2.5, None])
def test_it_refuses_an_allocation_amount_that_is_not_whole_rupiah(cast, agencies, make_program, amount):
    source, program = _source(cast, agencies), make_program()
    before = world()
    with pytest.raises(DomainError) as caught:
        funding.funding_allocate(actor=cast["admin"], source=source, program=program, amount=amount)
    assert caught.value.code == "amount_invalid"
    assert world() == before


def test_it_lets_a_source_not_shared_serve_only_the_funders_programs(cast, agencies, make_program):
    own = _source(cast, agencies, agency="lsm", shared=False)
    lsm_program = make_program("lsm")
    dinsos_program = make_program("dinsos")
    before = world()
    with pytest.raises(DomainError) as caught:
        funding.funding_allocate(actor=cast["officer"], source=own, program=dinsos_program, amount=1_000_000)
    assert (caught.value.code, caught.value.text) == (
        "source_not_shared", "Sumber dana ini hanya untuk program lembaga pemberi dana.")
    assert world() == before
    funding.funding_allocate(actor=cast["officer_other"], source=own, program=lsm_program, amount=1_000_000)
    # The kelurahan admin decides over every source.
    funding.funding_allocate(actor=cast["admin"], source=own, program=dinsos_program, amount=1_000_000)
    own.refresh_from_db()
    assert own.allocated == 2_000_000


def test_it_lets_a_shared_source_of_an_agency_serve_other_agencies(cast, agencies, make_program):
    shared = _source(cast, agencies, agency="lsm", shared=True)
    program = make_program("dinsos")
    funding.funding_allocate(actor=cast["officer"], source=shared, program=program, amount=1_000_000)
    program.refresh_from_db()
    assert program.budget_allocated == 1_000_000


def test_it_leaves_a_kelurahan_source_not_shared_to_the_admin(cast, agencies, make_program):
    reserved = _source(cast, agencies, agency=None, shared=False)
    program = make_program("dinsos")
    before = world()
    with pytest.raises(DomainError) as caught:
        funding.funding_allocate(actor=cast["officer"], source=reserved, program=program, amount=1_000_000)
    assert caught.value.code == "source_not_shared"
    assert world() == before


def test_it_takes_back_money_that_is_not_committed(cast, agencies, make_program, enrol):
    source = _source(cast, agencies)
    program = make_program()
    funding.funding_allocate(actor=cast["officer"], source=source, program=program, amount=3 * COST)
    enrol(program, cast["households"]["rw1"], "approved")
    funding.funding_allocate(actor=cast["officer"], source=source, program=program, amount=-COST,
                             note="dipindah")
    source.refresh_from_db()
    program.refresh_from_db()
    assert (source.allocated, program.budget_allocated, program.budget_remaining) == (2 * COST, 2 * COST,
                                                                                      COST)
    assert list(Allocation.objects.filter(program=program).order_by("pk").values_list("amount",
                                                                                      flat=True)) == [
        3 * COST, -COST]
    budget_consistent(program)

    before = world()
    with pytest.raises(DomainError) as caught:
        funding.funding_allocate(actor=cast["officer"], source=source, program=program, amount=-(COST + 1))
    assert (caught.value.code, caught.value.text) == (
        "withdraw_committed",
        "Dana yang sudah menjadi komitmen peserta tidak dapat ditarik; sisa anggaran Rp 900.000.")
    assert world() == before


def test_it_takes_back_from_a_source_no_more_than_it_gave(cast, agencies, make_program, source):
    small = _source(cast, agencies, amount=1_000_000, name="Kecil")
    program = make_program(budget=5_000_000)  # from the ``source`` fixture
    funding.funding_allocate(actor=cast["admin"], source=small, program=program, amount=1_000_000)
    before = world()
    with pytest.raises(DomainError) as caught:
        funding.funding_allocate(actor=cast["admin"], source=small, program=program, amount=-1_000_001)
    assert (caught.value.code, caught.value.text) == (
        "withdraw_too_much", "Paling banyak Rp 1.000.000 dapat ditarik dari program ini dari sumber ini.")
    assert world() == before
    other_program = make_program(name="Lain")
    with pytest.raises(DomainError) as caught:
        funding.funding_allocate(actor=cast["admin"], source=small, program=other_program, amount=-1)
    assert caught.value.code == "withdraw_too_much"
    funding.funding_allocate(actor=cast["admin"], source=small, program=program, amount=-1_000_000)
    small.refresh_from_db()
    assert small.allocated == 0


def test_it_gives_a_closed_program_no_new_money_but_takes_back(cast, agencies, make_program):
    from bansos.programs.services.programs import program_status_set

    source = _source(cast, agencies)
    program = make_program()
    funding.funding_allocate(actor=cast["admin"], source=source, program=program, amount=2_000_000)
    program_status_set(actor=cast["admin"], program=program, status="closed")
    before = world()
    with pytest.raises(DomainError) as caught:
        funding.funding_allocate(actor=cast["admin"], source=source, program=program, amount=1)
    assert caught.value.code == "program_closed"
    assert world() == before
    funding.funding_allocate(actor=cast["admin"], source=source, program=program, amount=-2_000_000)
    source.refresh_from_db()
    assert source.allocated == 0


def test_it_refuses_shrinking_a_source_below_what_it_allocated(cast, agencies, make_program):
    source = _source(cast, agencies, amount=5_000_000)
    funding.funding_allocate(actor=cast["admin"], source=source, program=make_program(), amount=4_000_000)
    before = world()
    data = {"name": "Hibah", "kind": "donor", "agency": None, "shared": True, "fiscal_year": 2026,
            "amount": 3_999_999}
    with pytest.raises(ValidationFailed) as caught:
        funding.funding_source_update(actor=cast["admin"], source=source, data=data)
    assert caught.value.errors == {
        "amount": ["Jumlah dana tidak boleh lebih kecil dari yang sudah dialokasikan (Rp 4.000.000)."]}
    assert world() == before
    funding.funding_source_update(actor=cast["admin"], source=source, data={**data, "amount": 4_000_000})


@pytest.mark.parametrize("who", ["officer", "officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_it_lets_only_the_admin_record_funding_sources(cast, agencies, who):
    before = world()
    with pytest.raises(PermissionDeniedError):
        funding.funding_source_create(actor=cast[who], data={
            "name": "X", "kind": "csr", "agency": None, "shared": True, "fiscal_year": 2026, "amount": 1})
    assert world() == before
    assert FundingSource.objects.count() == 0


@pytest.mark.parametrize("who", ["surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_allocation_to_roles_without_program_rights(cast, make_program, source, who):
    program = make_program()
    before = world()
    with pytest.raises(PermissionDeniedError):
        funding.funding_allocate(actor=cast[who], source=source, program=program, amount=1_000)
    assert world() == before


# --- Property: whatever happens, the figures agree and stay within the limits ---------------------

@pytest.fixture
def people(cast, households):
    """Five households, made once per test function (hypothesis reuses the function's fixtures)."""
    return [cast["households"][k] for k in ("rw1", "rw1_rt2", "rw2")] + households(2, rt="rt3")


OPS = st.lists(
    st.tuples(
        # "next" takes one of the transitions the state allows, so that sequences get far enough.
        st.sampled_from(["next"] * 6 + ["apply", "verify", "approve", "reject", "start", "suspend", "resume",
                                        "graduate", "exit", "disburse", "disburse", "allocate", "withdraw"]),
        st.integers(min_value=0, max_value=3),
        st.sampled_from([1, 150_000, 300_000, 900_000, 1_800_000]),
        st.integers(min_value=0, max_value=5),
    ),
    min_size=10, max_size=30,
)
# Mostly forwards, so that sequences reach approval, the budget's end, starts and exits.
FORWARD = {"applied": ["verified"], "verified": ["approved"], "approved": ["active", "exited"],
           "active": ["suspended", "graduated", "exited"], "suspended": ["active", "exited"]}
TRANSITION = {"verify": "verified", "approve": "approved", "reject": "rejected", "start": "active",
              "suspend": "suspended", "graduate": "graduated", "exit": "exited"}


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPS, capacity=st.sampled_from([None, 2, 3]))
def test_it_keeps_the_budget_consistent_whatever_the_order(cast, make_program, people, source, ops, capacity):
    officer = cast["officer"]
    stats: dict[str, int] = {}
    with transaction.atomic():
        program = make_program(budget=2 * COST, capacity=capacity)
        for op, who, amount, pick in ops:
            household = people[who]
            current = Enrollment.objects.filter(program=program, household=household).order_by("-pk").first()
            before = world()
            try:
                if op == "apply":
                    svc.enrollment_apply(actor=officer, program=program, household=household)
                elif op == "allocate":
                    funding.funding_allocate(actor=officer, source=source, program=program, amount=amount)
                elif op == "withdraw":
                    funding.funding_allocate(actor=officer, source=source, program=program, amount=-amount)
                elif op == "next" and current is None:
                    svc.enrollment_apply(actor=officer, program=program, household=household)
                elif current is None:
                    continue
                elif op == "next":
                    targets = FORWARD.get(current.state)
                    if not targets:
                        svc.enrollment_apply(actor=officer, program=program, household=household)
                    else:
                        target = targets[pick % len(targets)]
                        svc.enrollment_transition(actor=officer, enrollment=current, to=target, reason=REASON)
                        stats[target] = stats.get(target, 0) + 1
                elif op == "disburse":
                    funding.enrollment_disburse(actor=officer, enrollment=current, amount=amount)
                elif op == "resume":
                    svc.enrollment_resume(actor=officer, enrollment=current)
                else:
                    svc.enrollment_transition(actor=officer, enrollment=current, to=TRANSITION[op],
                                              reason=REASON)
            except DomainError as refused:
                assert world() == before, op
                stats[refused.code] = stats.get(refused.code, 0) + 1
            budget_consistent(program)
            source.refresh_from_db()
            assert 0 <= source.allocated <= source.amount
        transaction.set_rollback(True)
    for name in stats:
        event(name)

