"""Capacity: a program's places are enforced at approval, one by one and in bulk."""

from __future__ import annotations

import pytest

from bansos.core.errors import DomainError, ValidationFailed
from bansos.programs.services import bulk
from bansos.programs.services import enrollment as svc
from bansos.programs.services.programs import program_update
from tests.programs.conftest import budget_consistent, program_data, world

pytestmark = pytest.mark.django_db

COST = 900_000


def _four(cast, households):
    return [cast["households"]["rw1"], cast["households"]["rw1_rt2"], cast["households"]["rw2"],
            *households(1)]


def test_it_refuses_approval_when_the_places_are_taken(cast, make_program, enrol, households):
    program = make_program(budget=10 * COST, capacity=2)
    a, b, c, _d = (enrol(program, h, "verified") for h in _four(cast, households))
    svc.enrollment_approve(actor=cast["officer"], enrollment=a)
    svc.enrollment_approve(actor=cast["officer"], enrollment=b)
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=c)
    assert (caught.value.code, caught.value.text) == ("capacity_full",
                                                      "Kuota program sudah penuh (2 peserta).")
    assert world() == before
    budget_consistent(program)


def test_it_limits_a_free_program_by_its_places_only(cast, make_program, enrol):
    program = make_program(benefit_kind="service", benefit_amount=0, capacity=1)
    first = enrol(program, cast["households"]["rw1"], "verified")
    second = enrol(program, cast["households"]["rw2"], "verified")
    svc.enrollment_approve(actor=cast["officer"], enrollment=first)
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=second)
    assert caught.value.code == "capacity_full"


def test_it_gives_a_place_returned_before_starting_to_the_next(cast, make_program, enrol):
    program = make_program(budget=10 * COST, capacity=1)
    first = enrol(program, cast["households"]["rw1"], "approved")
    second = enrol(program, cast["households"]["rw2"], "verified")
    svc.enrollment_exit(actor=cast["officer"], enrollment=first, reason="menolak bantuan")
    assert svc.enrollment_approve(actor=cast["officer"], enrollment=second).state == "approved"
    budget_consistent(program)


def test_it_takes_no_place_for_a_rejection_or_an_application(cast, make_program, enrol, households):
    program = make_program(budget=10 * COST, capacity=1)
    hh = _four(cast, households)
    enrol(program, hh[0], "rejected")
    enrol(program, hh[1], "applied")
    enrol(program, hh[2], "verified")
    program.refresh_from_db()
    assert program.seats_taken == 0
    assert enrol(program, hh[3], "approved").state == "approved"


def test_it_stops_bulk_approval_at_the_capacity(cast, make_program, enrol, households):
    program = make_program(budget=10 * COST, capacity=2)
    for household in _four(cast, households):
        enrol(program, household, "verified")
    result = bulk.enrollment_bulk_approve(actor=cast["officer"], program=program)
    assert (result.done, result.skipped) == (2, {"budget_or_capacity": 2})
    program.refresh_from_db()
    assert (program.seats_taken, program.budget_committed) == (2, 2 * COST)
    budget_consistent(program)
    before = world()
    again = bulk.enrollment_bulk_approve(actor=cast["officer"], program=program)
    assert (again.done, again.skipped) == (0, {"budget_or_capacity": 2})
    assert world() == before


def test_it_bulk_approves_the_smaller_of_budget_and_places(cast, make_program, enrol, households):
    program = make_program(budget=3 * COST, capacity=10)
    hh = _four(cast, households)
    for household in hh:
        enrol(program, household, "verified")
    assert bulk.enrollment_bulk_approve(actor=cast["officer"], program=program).done == 3
    budget_consistent(program)


def test_it_refuses_a_capacity_below_the_places_taken(cast, agencies, make_program, enrol):
    program = make_program(budget=10 * COST, capacity=3)
    enrol(program, cast["households"]["rw1"], "approved")
    enrol(program, cast["households"]["rw2"], "approved")
    data = program_data(agencies["dinsos"], capacity=1)
    before = world()
    with pytest.raises(ValidationFailed) as caught:
        program_update(actor=cast["officer"], program=program, data=data)
    assert caught.value.errors == {
        "capacity": ["Kuota tidak boleh lebih kecil dari peserta yang sudah disetujui (2)."]}
    assert world() == before
    program_update(actor=cast["officer"], program=program, data={**data, "capacity": 2})
    program.refresh_from_db()
    assert program.capacity == 2


def test_it_locks_the_cost_per_participant_once_someone_is_approved(cast, agencies, make_program, enrol):
    program = make_program(budget=10 * COST)
    enrol(program, cast["households"]["rw1"], "approved")
    before = world()
    with pytest.raises(ValidationFailed) as caught:
        program_update(actor=cast["officer"], program=program,
                       data=program_data(agencies["dinsos"], benefit_amount=400_000))
    assert list(caught.value.errors) == ["benefit_amount"]
    assert world() == before
