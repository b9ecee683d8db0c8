"""Bulk enrollment: apply a rule run's households, verify at the desk, approve the poorest first."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.core.models import AuditEvent
from bansos.programs.models import BudgetMovement, Enrollment, MovementKind
from bansos.programs.services import bulk
from bansos.registry.models import Resident
from tests.programs.conftest import budget_consistent, world

pytestmark = pytest.mark.django_db

COST = 900_000
UNDER_FIVE = {"all": [{"p": "has_under_five", "op": "is", "value": True},
                      {"p": "monthly_income", "op": "lte", "value": 3_000_000}]}
FEMALE_HEAD = {"all": [{"p": "female_head", "op": "is", "value": True}]}


@pytest.fixture
def run_rule(django_capture_on_commit_callbacks):
    """``run_rule(actor, rule)`` -> a finished RuleRun (the task runs at once in tests)."""
    from bansos.eligibility.services import rule_run_start

    def run(actor, rule):
        with django_capture_on_commit_callbacks(execute=True):
            started = rule_run_start(actor=actor, rule=rule, reference_date=dt.date(2025, 8, 17))
        started.refresh_from_db()
        assert started.status == "done"
        return started

    return run


@pytest.fixture
def rule(cast):
    from bansos.eligibility.services import rule_create

    return rule_create(actor=cast["officer"], name="Balita dan penghasilan rendah", expression=UNDER_FIVE)


@pytest.fixture
def setup(cast, households, make_program, rule, run_rule):
    """The officer's program with its rule, and a run that found Budi's, Joko's and two more families."""
    extra = households(2, rt="rt2")
    program = make_program(budget=10 * COST, rule=rule)
    run = run_rule(cast["officer"], rule)
    hh = cast["households"]
    return {"program": program, "run": run, "eligible": [hh["rw1"], hh["rw2"], *extra]}


def test_it_starts_from_a_run_that_found_the_families_with_an_under_five(setup):
    assert set(setup["run"].members.values_list("household_id",
                                                flat=True)) == {h.pk for h in setup["eligible"]}


def test_it_previews_without_changing_anything(cast, setup, enrol):
    enrol(setup["program"], setup["eligible"][0])
    before = world()
    preview = bulk.enrollment_bulk_preview(actor=cast["officer"], program=setup["program"], run=setup["run"])
    assert preview == {"eligible": 4, "inactive": 0, "already": 1, "new": 3, "without_head": 0,
                       "person_program": False}
    assert world() == before


def test_it_applies_every_eligible_household_once(cast, setup):
    officer, program, run = cast["officer"], setup["program"], setup["run"]
    result = bulk.enrollment_bulk_apply(actor=officer, program=program, run=run)
    assert (result.done, result.skipped) == (4, {})
    rows = Enrollment.objects.filter(program=program)
    assert set(rows.values_list("household_id", flat=True)) == {h.pk for h in setup["eligible"]}
    assert set(rows.values_list("state", "channel", "applied_by", "resident")) == {
        ("applied", "rule_run", officer.pk, None)}
    events = AuditEvent.objects.filter(action="enrollment.apply")
    assert sorted(events.values_list("object_id", "household_id")) == sorted(
        (str(pk), hid) for pk, hid in rows.values_list("pk", "household_id"))
    assert {(e.actor_id, e.object_type, e.changes["rule_run"], e.changes["channel"]) for e in events} == {
        (officer.pk, "programs.enrollment", run.pk, "rule_run")}

    before = world()
    again = bulk.enrollment_bulk_apply(actor=officer, program=program, run=run)
    assert (again.done, again.skipped) == (0, {"already_or_inactive": 4})
    assert world() == before


def test_it_skips_households_already_in_the_program_and_those_that_left(cast, setup, enrol):
    from bansos.registry.services import household_set_status

    program = setup["program"]
    first, moved = setup["eligible"][0], setup["eligible"][1]
    enrol(program, first, "active")
    household_set_status(actor=cast["admin"], household=moved, status="moved", reason="pindah")
    result = bulk.enrollment_bulk_apply(actor=cast["officer"], program=program, run=setup["run"])
    assert (result.done, result.skipped) == (2, {"already_or_inactive": 2})
    assert Enrollment.objects.filter(program=program, household=first).count() == 1
    assert not Enrollment.objects.filter(program=program, household=moved).exists()


def test_it_applies_again_a_household_whose_enrollment_ended(cast, setup, enrol):
    program = setup["program"]
    enrol(program, setup["eligible"][0], "rejected")
    result = bulk.enrollment_bulk_apply(actor=cast["officer"], program=program, run=setup["run"])
    assert result.done == 4


def test_it_enrols_the_household_heads_in_a_person_program(cast, households, make_program, rule, run_rule):
    extra = households(1)
    program = make_program(budget=10 * COST, rule=rule, kind="training", participant="resident",
                           benefit_kind="course")
    run = run_rule(cast["officer"], rule)
    # One family's head died: the rule still finds the family, but there is no head to enrol.
    headless = cast["households"]["rw2"]
    Resident.objects.filter(household=headless, relation="head").update(status="deceased")
    preview = bulk.enrollment_bulk_preview(actor=cast["officer"], program=program, run=run)
    assert (preview["person_program"], preview["new"], preview["without_head"]) == (True, 2, 1)

    result = bulk.enrollment_bulk_apply(actor=cast["officer"], program=program, run=run)
    assert (result.done, result.skipped) == (2, {"without_head": 1})
    rows = Enrollment.objects.filter(program=program).select_related("resident")
    heads = {e.household_id: e.resident for e in rows}
    assert set(heads) == {cast["households"]["rw1"].pk, extra[0].pk}
    for household_id, resident in heads.items():
        assert (resident.household_id, resident.relation, resident.status) == (household_id, "head", "active")


def test_it_refuses_a_program_without_a_rule(cast, setup, make_program):
    program = make_program(budget=COST)
    before = world()
    for call in (bulk.enrollment_bulk_apply, bulk.enrollment_bulk_preview):
        with pytest.raises(DomainError) as caught:
            call(actor=cast["officer"], program=program, run=setup["run"])
        assert (caught.value.code, caught.value.text) == ("program_no_rule",
                                                          "Program ini belum punya aturan kelayakan.")
    assert world() == before


def test_it_refuses_a_run_of_another_rule(cast, setup, run_rule):
    from bansos.eligibility.services import rule_create

    other_rule = rule_create(actor=cast["officer"], name="Perempuan kepala keluarga", expression=FEMALE_HEAD)
    other_run = run_rule(cast["officer"], other_rule)
    before = world()
    with pytest.raises(DomainError) as caught:
        bulk.enrollment_bulk_apply(actor=cast["officer"], program=setup["program"], run=other_run)
    assert (caught.value.code, caught.value.text) == (
        "run_other_rule", "Hasil penilaian ini bukan dari aturan kelayakan program ini.")
    assert world() == before


@pytest.mark.parametrize("status", ["queued", "running", "failed"])
def test_it_refuses_a_run_that_is_not_done(cast, setup, status):
    from bansos.eligibility.models import RuleRun

    run = setup["run"]
    RuleRun.objects.filter(pk=run.pk).update(status=status)
    run.refresh_from_db()
    before = world()
    with pytest.raises(DomainError) as caught:
        bulk.enrollment_bulk_apply(actor=cast["officer"], program=setup["program"], run=run)
    assert (caught.value.code, caught.value.text) == ("run_not_done", "Penilaian aturan ini belum selesai.")
    assert world() == before


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_bulk_work_on_a_program_of_another_agency_or_without_rights(cast, setup, enrol, who):
    program = setup["program"]
    enrol(program, setup["eligible"][0])
    enrol(program, setup["eligible"][1], "verified")
    before = world()
    with pytest.raises(PermissionDeniedError):
        bulk.enrollment_bulk_apply(actor=cast[who], program=program, run=setup["run"])
    with pytest.raises(PermissionDeniedError):
        bulk.enrollment_bulk_preview(actor=cast[who], program=program, run=setup["run"])
    with pytest.raises(PermissionDeniedError):
        bulk.enrollment_bulk_verify(actor=cast[who], program=program, note="dicek")
    with pytest.raises(PermissionDeniedError):
        bulk.enrollment_bulk_approve(actor=cast[who], program=program)
    assert world() == before


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_it_refuses_bulk_work_on_a_program_not_accepting(cast, setup, make_program, rule, status):
    program = make_program(budget=COST, rule=rule, status=status)
    before = world()
    for call, kwargs in ((bulk.enrollment_bulk_apply, {"run": setup["run"]}),
                         (bulk.enrollment_bulk_verify, {"note": "dicek"}),
                         (bulk.enrollment_bulk_approve, {})):
        with pytest.raises(DomainError) as caught:
            call(actor=cast["officer"], program=program, **kwargs)
        assert caught.value.code == "program_not_open"
    assert world() == before


# --- Bulk verification ----------------------------------------------------------------------------


def test_it_verifies_the_applications_with_one_note(cast, setup, enrol):
    program = setup["program"]
    bulk.enrollment_bulk_apply(actor=cast["officer"], program=program, run=setup["run"])
    result = bulk.enrollment_bulk_verify(actor=cast["officer"], program=program,
                                         note=" Dicocokkan dengan registri ")
    assert (result.done, result.skipped) == (4, {})
    rows = Enrollment.objects.filter(program=program)
    assert set(rows.values_list("state", "verification_note")) == {("verified", "Dicocokkan dengan registri")}
    assert rows.filter(verified_at__isnull=True).count() == 0
    events = AuditEvent.objects.filter(action="enrollment.verify")
    assert events.count() == 4
    assert {(e.reason, e.actor_id, tuple(e.changes["state"])) for e in events} == {
        ("Dicocokkan dengan registri", cast["officer"].pk, ("applied", "verified"))}
    assert set(events.values_list("household_id", flat=True)) == {h.pk for h in setup["eligible"]}


def test_it_verifies_only_the_chosen_applications_still_waiting(cast, setup, enrol, make_program):
    program = setup["program"]
    a, b, c, _d = (enrol(program, h) for h in setup["eligible"])
    c = enrol(make_program(name="Lain"), cast["households"]["rw1_rt2"])  # another program's application
    bulk.enrollment_bulk_verify(actor=cast["officer"], program=program, note="cek", ids=[a.pk])
    result = bulk.enrollment_bulk_verify(actor=cast["officer"], program=program, note="cek", ids=[a.pk, b.pk,
                                                                                                  c.pk])
    assert (result.done, result.skipped) == (1, {"not_applied": 2})
    states = dict(Enrollment.objects.values_list("pk", "state"))
    assert (states[a.pk], states[b.pk], states[c.pk]) == ("verified", "verified", "applied")


@pytest.mark.parametrize("note", ["", "   "])
def test_it_requires_a_note_for_bulk_verification(cast, setup, enrol, note):
    enrol(setup["program"], setup["eligible"][0])
    before = world()
    with pytest.raises(DomainError) as caught:
        bulk.enrollment_bulk_verify(actor=cast["officer"], program=setup["program"], note=note)
    assert (caught.value.code, caught.value.text) == ("reason_required", "Catat hasil pemeriksaan lapangan.")
    assert world() == before


# --- Bulk approval --------------------------------------------------------------------------------


def _score(household, score):
    from bansos.welfare.models import HouseholdWelfare, WelfareModel

    model = WelfareModel.objects.first() or WelfareModel.objects.create(version=1, name="uji",
                                                                        base_amount=1_000_000)
    HouseholdWelfare.objects.create(household=household, model=model, per_capita=500_000, score=score,
                                    decile=1,
                                    rank=1, computed_at=dt.datetime(2025, 8, 1, tzinfo=dt.UTC))


def test_it_approves_the_poorest_first_until_the_budget_runs_out(cast, households, make_program, enrol):
    unscored, middle, poorest, richer = [cast["households"]["rw1"], *households(3)]
    _score(middle, 13.2)
    _score(poorest, 12.5)
    _score(richer, 14.8)
    program = make_program(budget=3 * COST)
    for household in (unscored, middle, poorest, richer):  # applied in another order than the scores
        enrol(program, household, "verified")

    result = bulk.enrollment_bulk_approve(actor=cast["admin"], program=program)
    assert (result.done, result.skipped) == (3, {"budget_or_capacity": 1})
    approved = set(program.enrollments.filter(state="approved").values_list("household_id", flat=True))
    assert approved == {poorest.pk, middle.pk, richer.pk}  # no score: last
    assert program.enrollments.get(household=unscored).state == "verified"
    program.refresh_from_db()
    assert (program.budget_committed, program.budget_remaining, program.seats_taken) == (3 * COST, 0, 3)
    move = BudgetMovement.objects.get(program=program, kind=MovementKind.COMMIT)
    assert (move.amount, move.participants) == (3 * COST, 3)
    events = AuditEvent.objects.filter(action="enrollment.approve")
    assert events.count() == 3
    assert {e.changes["committed_amount"] for e in events} == {COST}
    assert set(events.values_list("household_id", flat=True)) == approved
    assert set(program.enrollments.filter(state="approved").values_list("committed_amount",
                                                                        flat=True)) == {COST}
    budget_consistent(program)


def test_it_takes_the_poorest_when_the_budget_is_short(cast, households, make_program, enrol):
    people = households(3)
    for household, score in zip(people, (14.0, 12.0, 13.0), strict=True):
        _score(household, score)
    program = make_program(budget=COST)
    for household in people:
        enrol(program, household, "verified")
    assert bulk.enrollment_bulk_approve(actor=cast["officer"], program=program).done == 1
    assert program.enrollments.get(state="approved").household == people[1]


def test_it_approves_nobody_in_bulk_when_there_is_no_money(cast, make_program, enrol):
    program = make_program(budget=COST - 1)
    enrol(program, cast["households"]["rw1"], "verified")
    before = world()
    result = bulk.enrollment_bulk_approve(actor=cast["officer"], program=program)
    assert (result.done, result.skipped) == (0, {"budget_or_capacity": 1})
    assert world() == before


def test_it_bulk_approves_only_verified_applications_of_the_chosen(cast, setup, enrol):
    program = setup["program"]
    a, b, c, d = setup["eligible"]
    verified = enrol(program, a, "verified")
    applied = enrol(program, b)
    enrol(program, c, "verified")  # not chosen
    result = bulk.enrollment_bulk_approve(actor=cast["officer"], program=program, ids=[verified.pk,
                                                                                       applied.pk])
    assert (result.done, result.skipped) == (1, {"not_verified": 1})
    assert set(program.enrollments.filter(state="approved").values_list("pk", flat=True)) == {verified.pk}


def test_it_skips_households_that_left_the_registry_in_bulk_approval(cast, make_program, enrol):
    from bansos.registry.services import household_set_status

    program = make_program(budget=5 * COST)
    staying = enrol(program, cast["households"]["rw1"], "verified")
    leaving = enrol(program, cast["households"]["rw2"], "verified")
    household_set_status(actor=cast["admin"], household=leaving.household, status="moved", reason="pindah")
    result = bulk.enrollment_bulk_approve(actor=cast["officer"], program=program)
    assert (result.done, result.skipped) == (1, {"household_inactive": 1})
    staying.refresh_from_db()
    leaving.refresh_from_db()
    assert (staying.state, leaving.state) == ("approved", "verified")
