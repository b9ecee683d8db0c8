"""Cycles through the services: create, generate (a frozen snapshot), approve (maker-checker, budget), cancel.

Every refusal also asserts that nothing changed (cash_state); every step that moves money, that the
program's figures agree with its ledger (budget_consistent) and the cycle's totals with its
entitlements (cycle_consistent).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from bansos.cash.models import Cycle, CycleState, Entitlement, EntitlementState
from bansos.cash.services.cycles import cycle_approve, cycle_cancel, cycle_create, cycle_generate
from bansos.core.models import AuditEvent
from bansos.programs.models import BudgetMovement, Enrollment, MovementKind
from tests.cash.conftest import MARCH, budget_consistent, cash_state, cycle_consistent, refused
from tests.factories import person

pytestmark = pytest.mark.django_db

REASON = "Data penerima perlu diperiksa ulang"
OUTSIDERS = ("officer_other", "surveyor", "cadre", "evaluator", "resident")




def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- Creating a cycle -----------------------------------------------------------------------------


def test_it_creates_a_draft_cycle_and_audits_it(cast, cash_world):
    program, _e = cash_world(2)
    cycle = cycle_create(actor=cast["officer"], program=program, period_start=MARCH)
    assert (cycle.state, cycle.label, cycle.period_end, cycle.created_by) == (
        CycleState.DRAFT, "Maret 2026", dt.date(2026, 3, 31), cast["officer"])
    assert cycle.institution == program.cash_scheme.institution
    assert (cycle.planned_count, cycle.planned_amount, cycle.generated_by) == (0, 0, None)
    event = AuditEvent.objects.get(action="cash.cycle.create")
    assert (event.actor, event.changes["label"]) == (cast["officer"], "Maret 2026")


@pytest.mark.parametrize("who", ["admin", "officer"])
def test_it_lets_the_programs_managers_create_cycles(cast, cash_world, who):
    program, _e = cash_world(1)
    assert cycle_create(actor=cast[who], program=program, period_start=MARCH).state == CycleState.DRAFT


def test_it_refuses_creating_a_cycle_to_anyone_else(cast, cash_world):
    program, _e = cash_world(1)
    for who in (*OUTSIDERS, None):
        refused("permission_denied", cycle_create, actor=cast[who] if who else None, program=program,
                period_start=MARCH)


def test_it_refuses_a_program_without_a_scheme_or_not_running(cast, make_program, cash_world):
    bare = make_program("dinsos", budget=900_000)
    refused("no_scheme", cycle_create, actor=cast["officer"], program=bare, period_start=MARCH)
    from bansos.programs.services.programs import program_status_set

    program, _e = cash_world(1)
    program_status_set(actor=cast["admin"], program=program, status="closed", reason="selesai")
    refused("program_not_running", cycle_create, actor=cast["officer"], program=program, period_start=MARCH)


@pytest.mark.parametrize(("start", "code"), [
    (dt.date(2026, 3, 15), "period_start"),  # a monthly cycle starts on the 1st
    (dt.date(2027, 1, 1), "period_outside"),
    (dt.date(2025, 12, 1), "period_outside"),
    ("2026-03-01", "period_start"),
])
def test_it_refuses_a_period_that_does_not_fit(cast, cash_world, start, code):
    program, _e = cash_world(1)
    refused(code, cycle_create, actor=cast["officer"], program=program, period_start=start)


def test_it_refuses_a_period_taken_or_overlapped_and_allows_it_again_after_cancelling(cast, cash_world):
    from bansos.cash.services.setup import scheme_set

    program, _e = cash_world(1)
    march = cycle_create(actor=cast["officer"], program=program, period_start=MARCH)
    refused("period_taken", cycle_create, actor=cast["officer"], program=program, period_start=MARCH)
    # A switch to quarterly payments must not pay March twice through February-April.
    scheme_set(actor=cast["officer"], program=program, data={
        "frequency": "quarterly", "amount_rule": "flat", "flat_amount": 300_000, "institution": march.institution})
    refused("period_taken", cycle_create, actor=cast["officer"], program=program, period_start=dt.date(2026, 2, 1))
    cycle_cancel(actor=cast["officer"], cycle=march, reason=REASON)
    again = cycle_create(actor=cast["officer"], program=program, period_start=dt.date(2026, 2, 1))
    assert (again.period_start, again.period_end) == (dt.date(2026, 2, 1), dt.date(2026, 4, 30))


def test_it_has_the_database_refuse_two_live_cycles_for_one_period(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(1, state="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(program=cycle.program, period_start=cycle.period_start, period_end=cycle.period_end,
                             label="Dua kali", institution=cycle.institution)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.filter(pk=cycle.pk).update(period_end=dt.date(2026, 2, 1))


# --- Generation: who is in it ---------------------------------------------------------------------


def test_it_leaves_out_suspended_moved_and_headless_households_and_reports_them(
        cast, cash_world, family, enrol):
    from bansos.programs.services.enrollment import enrollment_transition
    from bansos.registry.services import household_set_status, resident_set_status

    program, enrollments = cash_world(4, budget=6 * 900_000)
    enrollment_transition(actor=cast["admin"], enrollment=enrollments[0], to="suspended", reason=REASON)
    household_set_status(actor=cast["admin"], household=enrollments[1].household, status="moved",
                         reason="pindah ke Depok")
    alone = family(person("Pak Sendiri", "L", dt.date(1950, 1, 1), "head"))
    enrol(program, alone, "active")
    resident_set_status(actor=cast["admin"], resident=alone.residents.get(), status="deceased",
                        reason="meninggal dunia")
    enrol(program, cast["households"]["rw2"], "verified")  # not approved yet: not payable, not reported
    cycle = cycle_create(actor=cast["officer"], program=program, period_start=MARCH)
    cycle = cycle_generate(actor=cast["officer"], cycle=cycle)
    assert cycle.generation_report == {
        "included": 2, "amount": 600_000,
        "excluded": {"household_inactive": 1, "no_head": 1, "suspended": 1},
    }
    assert sorted(Entitlement.objects.filter(cycle=cycle).values_list("enrollment_id", flat=True)) == [
        enrollments[2].pk, enrollments[3].pk]
    assert (cycle.state, cycle.generated_by, cycle.planned_count, cycle.planned_amount) == (
        CycleState.GENERATED, cast["officer"], 2, 600_000)
    event = AuditEvent.objects.get(action="cash.cycle.generate")
    assert event.changes == cycle.generation_report
    cycle_consistent(cycle)


def test_it_leaves_out_a_person_program_participant_no_longer_active(cast, family, cash_program):
    from bansos.registry.services import resident_set_status

    home = family(person("Ibu Rumah", "P", dt.date(1960, 1, 1), "head"),
                  person("Anak Pindah", "L", dt.date(2000, 1, 1), "child"),
                  person("Anak Tinggal", "P", dt.date(2002, 1, 1), "child"))
    leaver, stayer = home.residents.get(full_name__iexact="Anak Pindah"), home.residents.get(full_name__iexact="Anak Tinggal")
    program, _e = cash_program([home, home], people=[leaver, stayer])
    resident_set_status(actor=cast["admin"], resident=leaver, status="moved_out", reason="kerja di Batam")
    cycle = cycle_generate(actor=cast["officer"], cycle=cycle_create(
        actor=cast["officer"], program=program, period_start=MARCH))
    assert cycle.generation_report == {"included": 1, "amount": 300_000, "excluded": {"participant_inactive": 1}}
    entitlement = Entitlement.objects.get(cycle=cycle)
    assert (entitlement.participant_id, entitlement.recipient_id, entitlement.household_id) == (
        stayer.pk, stayer.pk, home.pk)


def test_it_snapshots_recipient_kk_and_rt(cast, cash_cycle):
    _p, enrollments, cycle = cash_cycle(1)
    household = enrollments[0].household
    head = household.residents.get(relation="head")
    entitlement = Entitlement.objects.get(cycle=cycle)
    assert (entitlement.recipient_id, entitlement.recipient_name, entitlement.recipient_nik) == (
        head.pk, head.full_name, head.nik)
    assert (entitlement.kk_number, entitlement.rt_label, entitlement.participant_id) == (
        household.kk_number, "001/001", None)
    assert (entitlement.state, entitlement.attempts, entitlement.topup_amount) == (EntitlementState.DUE, 0, 0)


def test_it_refuses_generating_to_anyone_but_the_managers(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(1, state="draft")
    for who in (*OUTSIDERS, None):
        refused("permission_denied", cycle_generate, actor=cast[who] if who else None, cycle=cycle)


def test_it_refuses_generating_an_approved_or_cancelled_cycle(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(2, state="approved")
    refused("cycle_state", cycle_generate, actor=cast["officer"], cycle=cycle)
    _p, _e, draft = cash_cycle(1, state="draft", period=dt.date(2026, 4, 1))
    cycle_cancel(actor=cast["officer"], cycle=draft, reason=REASON)
    refused("cycle_state", cycle_generate, actor=cast["officer"], cycle=draft)


def test_it_refuses_generating_once_the_program_is_closed(cast, cash_cycle):
    from bansos.programs.services.programs import program_status_set

    program, _e, cycle = cash_cycle(1, state="draft")
    program_status_set(actor=cast["admin"], program=program, status="closed", reason="selesai")
    refused("program_not_running", cycle_generate, actor=cast["officer"], cycle=cycle)


# --- The snapshot ---------------------------------------------------------------------------------


def _edit_registry(cast, household):
    """Rename the head, correct their NIK and birth date, and add a baby."""
    from bansos.registry.services import resident_add, resident_update
    from tests.factories import nik_for

    head = household.residents.get(relation="head")
    born = dt.date(1979, 9, 9)
    resident_update(actor=cast["admin"], resident=head, reason="koreksi data KTP", data={
        "full_name": "Budi Santoso Baru", "birth_date": born, "nik": nik_for(born, "L")})
    resident_add(actor=cast["admin"], household=household, reason="kelahiran",
                 data=person("Bayi Baru Lahir", "P", dt.date(2025, 12, 1), "child"))
    head.refresh_from_db()
    return head


SNAPSHOT = ("recipient_id", "recipient_name", "recipient_nik", "kk_number", "rt_label", "amount", "breakdown",
            "state")


def test_it_keeps_an_approved_cycle_as_it_was_when_the_registry_changes(cast, cash_world):
    program, enrollments = cash_world(2, amount_rule="components", flat_amount=0, per_under_five=150_000,
                                      per_child_smp=300_000)
    cycle = cycle_generate(actor=cast["officer"], cycle=cycle_create(
        actor=cast["officer"], program=program, period_start=MARCH))
    cycle = cycle_approve(actor=cast["admin"], cycle=cycle)
    frozen = list(Entitlement.objects.filter(cycle=cycle).order_by("pk").values(*SNAPSHOT))
    assert [row["amount"] for row in frozen] == [450_000, 450_000]
    head = _edit_registry(cast, enrollments[0].household)
    assert list(Entitlement.objects.filter(cycle=cycle).order_by("pk").values(*SNAPSHOT)) == frozen
    assert frozen[0]["recipient_name"] != head.full_name and frozen[0]["recipient_nik"] != head.nik
    cycle_consistent(cycle)


def test_it_picks_up_registry_changes_when_generated_again_before_approval(cast, cash_world, enrol, households):
    program, enrollments = cash_world(2, amount_rule="components", flat_amount=0, per_under_five=150_000,
                                      per_child_smp=300_000, budget=10_000_000)
    cycle = cycle_generate(actor=cast["officer"], cycle=cycle_create(
        actor=cast["officer"], program=program, period_start=MARCH))
    generated = list(Entitlement.objects.filter(cycle=cycle).order_by("pk").values(*SNAPSHOT))
    head = _edit_registry(cast, enrollments[0].household)
    latecomer = enrol(program, households(1, rt="rt3")[0], "active")
    # A generated list is frozen too, until someone generates it again.
    assert list(Entitlement.objects.filter(cycle=cycle).order_by("pk").values(*SNAPSHOT)) == generated
    cycle = cycle_generate(actor=cast["officer"], cycle=cycle)
    again = Entitlement.objects.get(cycle=cycle, enrollment=enrollments[0])
    assert (again.recipient_name, again.recipient_nik, again.recipient_id) == (head.full_name, head.nik, head.pk)
    assert again.amount == 600_000  # the new baby counts
    assert {item["code"]: item["count"] for item in again.breakdown} == {"per_child_smp": 1, "per_under_five": 2}
    assert Entitlement.objects.filter(cycle=cycle).count() == 3  # nothing twice, the newcomer in
    assert Entitlement.objects.filter(cycle=cycle, enrollment=latecomer).exists()
    assert (cycle.planned_count, cycle.planned_amount) == (3, 1_500_000)
    assert events("cash.cycle.generate") == 2
    cycle_consistent(cycle)


# --- Maker-checker --------------------------------------------------------------------------------


def test_it_refuses_approval_by_the_one_who_generated_the_list(cast, admin2, cash_cycle):
    _p, _e, cycle = cash_cycle(2, maker=cast["admin"])
    error = refused("maker_checker", cycle_approve, actor=cast["admin"], cycle=cycle)
    assert "bukan yang membuat daftar" in error.text
    cycle = cycle_approve(actor=admin2, cycle=cycle)
    assert (cycle.state, cycle.approved_by, cycle.generated_by) == (CycleState.APPROVED, admin2, cast["admin"])
    assert cycle.approved_at is not None
    event = AuditEvent.objects.get(action="cash.cycle.approve")
    assert (event.actor, event.changes) == (admin2, {"planned_count": 2, "planned_amount": 600_000,
                                                     "topup_amount": 0})


def test_it_refuses_the_generator_again_after_a_second_generation(cast, admin2, cash_cycle):
    """Whoever generated last is the maker: an admin who regenerates another's list cannot approve it."""
    _p, _e, cycle = cash_cycle(1, maker=cast["officer"])
    cycle = cycle_generate(actor=cast["admin"], cycle=cycle)
    refused("maker_checker", cycle_approve, actor=cast["admin"], cycle=cycle)
    assert cycle_approve(actor=admin2, cycle=cycle).state == CycleState.APPROVED


def test_it_refuses_approval_to_anyone_but_a_kelurahan_admin(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(1)
    for who in ("officer", *OUTSIDERS, None):
        refused("permission_denied", cycle_approve, actor=cast[who] if who else None, cycle=cycle)


def test_it_has_the_database_refuse_the_generator_as_approver(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(1)
    before = cash_state()
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.filter(pk=cycle.pk).update(approved_by=F("generated_by"), state="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.filter(pk=cycle.pk).update(approved_by=cast["officer"])
    assert cash_state() == before


def test_it_approves_once_whatever_is_clicked_twice(cast, admin2, cash_cycle):
    program, _e, cycle = cash_cycle(2)
    cycle_approve(actor=cast["admin"], cycle=cycle)
    before = cash_state()
    again = cycle_approve(actor=cast["admin"], cycle=cycle)
    other = cycle_approve(actor=admin2, cycle=cycle)
    assert (again.state, again.approved_by, other.approved_by) == (CycleState.APPROVED, cast["admin"],
                                                                   cast["admin"])
    assert cash_state() == before
    assert events("cash.cycle.approve") == 1
    budget_consistent(program)


def test_it_refuses_approving_a_draft_an_empty_or_a_cancelled_cycle(cast, cash_cycle, cash_world):
    from bansos.programs.services.enrollment import enrollment_transition

    _p, _e, draft = cash_cycle(1, state="draft")
    refused("cycle_state", cycle_approve, actor=cast["admin"], cycle=draft)
    program, enrollments = cash_world(1)
    enrollment_transition(actor=cast["admin"], enrollment=enrollments[0], to="suspended", reason=REASON)
    _p, _e, empty = cash_cycle(program=program, enrollments=enrollments)
    assert empty.planned_count == 0
    refused("empty_cycle", cycle_approve, actor=cast["admin"], cycle=empty)
    cycle_cancel(actor=cast["officer"], cycle=empty, reason=REASON)
    refused("cycle_state", cycle_approve, actor=cast["admin"], cycle=empty)


@pytest.mark.parametrize("change", ["exit", "suspend", "move"])
def test_it_refuses_approving_a_list_made_stale_by_the_registry(cast, cash_cycle, change):
    from bansos.programs.services.enrollment import enrollment_transition
    from bansos.registry.services import household_set_status

    _p, enrollments, cycle = cash_cycle(2)
    if change == "move":
        household_set_status(actor=cast["admin"], household=enrollments[0].household, status="moved",
                             reason="pindah")
    else:
        enrollment_transition(actor=cast["admin"], enrollment=enrollments[0],
                              to="exited" if change == "exit" else "suspended", reason=REASON)
    error = refused("cycle_stale", cycle_approve, actor=cast["admin"], cycle=cycle)
    assert error.params == {"count": 1}
    cycle = cycle_generate(actor=cast["officer"], cycle=cycle)
    assert cycle_approve(actor=cast["admin"], cycle=cycle).planned_count == 1


# --- Budget ---------------------------------------------------------------------------------------


def test_it_approves_within_the_enrollments_commitments_without_a_topup(cast, cash_cycle):
    program, enrollments, cycle = cash_cycle(3)
    committed, movements = program.budget_committed, BudgetMovement.objects.count()
    cycle = cycle_approve(actor=cast["admin"], cycle=cycle)
    program.refresh_from_db()
    assert (cycle.topup_amount, program.budget_committed, BudgetMovement.objects.count()) == (0, committed,
                                                                                               movements)
    assert list(Entitlement.objects.filter(cycle=cycle).values_list("topup_amount", flat=True)) == [0, 0, 0]
    budget_consistent(program)
    cycle_consistent(cycle)


COMPONENTS = {"amount_rule": "components", "flat_amount": 0, "per_child_smp": 600_000, "per_under_five": 400_000}


def test_it_tops_up_component_amounts_above_the_commitment_from_the_remaining_budget(cast, cash_cycle):
    # Each household: a school child (SMP) and an under-five = Rp 1.000.000; committed Rp 900.000 each.
    program, enrollments, cycle = cash_cycle(2, budget=3_000_000, **COMPONENTS)
    assert program.budget_committed == 1_800_000
    cycle = cycle_approve(actor=cast["admin"], cycle=cycle)
    program.refresh_from_db()
    assert (cycle.planned_amount, cycle.topup_amount, program.budget_committed) == (2_000_000, 200_000, 2_000_000)
    assert sorted(Entitlement.objects.filter(cycle=cycle).values_list("amount", "topup_amount")) == [
        (1_000_000, 100_000), (1_000_000, 100_000)]
    for enrollment in enrollments:
        enrollment.refresh_from_db()
        assert enrollment.committed_amount == 1_000_000
    move = BudgetMovement.objects.filter(program=program, kind=MovementKind.COMMIT).latest("pk")
    assert (move.amount, move.participants, move.note) == (200_000, 0, f"cash cycle {cycle.pk}")
    budget_consistent(program)
    cycle_consistent(cycle)


def test_it_refuses_approval_the_budget_cannot_cover_and_changes_nothing(cast, cash_cycle):
    program, _e, cycle = cash_cycle(2, budget=1_900_000, **COMPONENTS)  # Rp 100.000 left; Rp 200.000 needed
    error = refused("budget_exhausted", cycle_approve, actor=cast["admin"], cycle=cycle)
    assert error.params == {"needed": "Rp 200.000", "remaining": "Rp 100.000"}
    assert Cycle.objects.get(pk=cycle.pk).state == CycleState.GENERATED
    budget_consistent(program)


def test_it_commits_more_once_the_enrollments_commitment_is_used_by_earlier_cycles(cast, cash_world, cash_cycle):
    """Three months are committed at enrollment; the fourth approved month needs a top-up."""
    program, enrollments = cash_world(2, budget=2_400_000)  # Rp 300.000 x 3 x 2 committed, Rp 600.000 free
    cycles = []
    for month in (3, 4, 5, 6):
        _p, _e, cycle = cash_cycle(program=program, enrollments=enrollments, period=dt.date(2026, month, 1),
                                   state="approved")
        cycles.append(cycle)
    assert [c.topup_amount for c in cycles] == [0, 0, 0, 600_000]
    program.refresh_from_db()
    assert program.budget_committed == program.budget_allocated == 2_400_000
    _p, _e, july = cash_cycle(program=program, enrollments=enrollments, period=dt.date(2026, 7, 1))
    refused("budget_exhausted", cycle_approve, actor=cast["admin"], cycle=july)
    budget_consistent(program)
    for cycle in cycles:
        cycle_consistent(cycle)


def test_it_releases_the_topup_when_an_approved_cycle_is_cancelled(cast, cash_cycle):
    program, enrollments, cycle = cash_cycle(2, budget=3_000_000, state="approved", **COMPONENTS)
    assert cycle.topup_amount == 200_000
    cycle = cycle_cancel(actor=cast["officer"], cycle=cycle, reason=REASON)
    program.refresh_from_db()
    assert (cycle.state, cycle.cancel_reason, cycle.cancelled_by) == (CycleState.CANCELLED, REASON, cast["officer"])
    assert program.budget_committed == 1_800_000
    assert [e.committed_amount for e in type(enrollments[0]).objects.filter(program=program)] == [900_000, 900_000]
    assert set(Entitlement.objects.filter(cycle=cycle).values_list("state", "cancel_reason")) == {
        (EntitlementState.CANCELLED, REASON)}
    release = BudgetMovement.objects.filter(program=program, kind=MovementKind.RELEASE).latest("pk")
    assert release.amount == -200_000
    assert events("cash.cycle.cancel") == 1
    budget_consistent(program)
    cycle_consistent(cycle)
    # Cancelling again changes nothing.
    before = cash_state()
    assert cycle_cancel(actor=cast["officer"], cycle=cycle, reason=REASON).state == CycleState.CANCELLED
    assert cash_state() == before


def test_it_cancels_a_generated_cycle_without_moving_money(cast, cash_cycle):
    program, _e, cycle = cash_cycle(2)
    committed = program.budget_committed
    cycle_cancel(actor=cast["admin"], cycle=cycle, reason=REASON)
    program.refresh_from_db()
    assert program.budget_committed == committed
    budget_consistent(program)


def test_it_refuses_cancelling_without_a_reason_or_once_payments_are_sent(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(1, state="approved")
    refused("reason_required", cycle_cancel, actor=cast["officer"], cycle=cycle, reason="  ")
    _p, _e, paying = cash_cycle(1, state="paying", period=dt.date(2026, 4, 1))
    refused("cycle_sent", cycle_cancel, actor=cast["officer"], cycle=paying, reason=REASON)


def test_it_refuses_cancelling_to_anyone_but_the_managers(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(1, state="approved")
    for who in (*OUTSIDERS, None):
        refused("permission_denied", cycle_cancel, actor=cast[who] if who else None, cycle=cycle, reason=REASON)


def test_it_cancels_an_approved_cycle_after_some_of_its_entitlements_without_releasing_twice(cast, cash_cycle):
    from bansos.cash.services.payments import entitlements_cancel

    program, enrollments, cycle = cash_cycle(2, budget=3_000_000, state="approved", **COMPONENTS)
    first = Entitlement.objects.get(cycle=cycle, enrollment=enrollments[0])
    entitlements_cancel(actor=cast["officer"], cycle=cycle, reason="Penerima menolak", ids=[first.pk])
    program.refresh_from_db()
    assert program.budget_committed == 1_000_000  # Rp 1.000.000 (Rp 100.000 of it the top-up) went back
    budget_consistent(program)
    cycle = cycle_cancel(actor=cast["officer"], cycle=cycle, reason=REASON)
    program.refresh_from_db()
    # Only the other entitlement's top-up is left to release; the cancelled one keeps its own reason.
    assert program.budget_committed == 900_000
    assert sorted(Enrollment.objects.filter(program=program).values_list("committed_amount", flat=True)) == [
        0, 900_000]
    assert Entitlement.objects.get(pk=first.pk).cancel_reason == "Penerima menolak"
    assert (cycle.cancelled_count, cycle.cancelled_amount) == (1, 1_000_000)
    budget_consistent(program)


def test_it_releases_a_leavers_money_when_the_approved_cycle_is_cancelled(cast, cash_cycle):
    """An exit keeps an approved month committed for the payment; cancelling the cycle must give it back."""
    from bansos.programs.services.enrollment import enrollment_transition

    program, enrollments, cycle = cash_cycle(2, state="approved")
    leaving, staying = enrollments
    enrollment_transition(actor=cast["officer"], enrollment=leaving, to="exited", reason="Pindah ke Bekasi")
    leaving.refresh_from_db()
    assert leaving.committed_amount == 300_000
    cycle_cancel(actor=cast["officer"], cycle=cycle, reason=REASON)
    leaving.refresh_from_db()
    staying.refresh_from_db()
    assert (leaving.committed_amount, staying.committed_amount) == (0, 900_000)
    program.refresh_from_db()
    assert program.budget_committed == 900_000
    budget_consistent(program)
