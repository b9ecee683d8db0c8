"""The enrollment state machine: every allowed transition and every refused one, on both databases."""

from __future__ import annotations

import itertools

import pytest

from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.core.models import AuditEvent
from bansos.programs.models import (
    ENROLLMENT_TRANSITIONS, REASON_REQUIRED, BudgetMovement, EnrollmentState, MovementKind,
)
from bansos.programs.services import enrollment as svc
from bansos.programs.services.funding import enrollment_disburse
from tests.programs.conftest import REASON, budget_consistent, world

pytestmark = pytest.mark.django_db

COST = 900_000  # 3 periods x Rp 300.000 (program_data)
STATES = list(EnrollmentState.values)
ALLOWED = sorted((old, new) for old, targets in ENROLLMENT_TRANSITIONS.items() for new in targets)
REFUSED = sorted(pair for pair in itertools.product(STATES, STATES) if pair not in ALLOWED)
ACTION = {
    "verified": "enrollment.verify", "approved": "enrollment.approve", "rejected": "enrollment.reject",
    "active": "enrollment.start", "suspended": "enrollment.suspend", "graduated": "enrollment.graduate",
    "exited": "enrollment.exit",
}
TIMESTAMPS = ("verified_at", "decided_at", "started_at", "ended_at")
# The timestamp each target state sets (resuming keeps the first start).
STAMPED = {"verified": "verified_at", "approved": "decided_at", "rejected": "decided_at",
           "active": "started_at",
           "graduated": "ended_at", "exited": "ended_at"}


def test_it_covers_the_whole_matrix():
    assert len(ALLOWED) == 11
    assert len(ALLOWED) + len(REFUSED) == len(STATES) ** 2


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_it_allows_the_transition(cast, make_program, enrol, old, new):
    officer = cast["officer"]
    program = make_program(budget=10 * COST)
    household = cast["households"]["rw1"]
    enrollment = enrol(program, household, old, actor=officer)
    if old in ("active", "suspended"):
        enrollment_disburse(actor=officer, enrollment=enrollment, amount=300_000)
    enrollment.refresh_from_db()
    before = {name: getattr(enrollment, name) for name in TIMESTAMPS}
    program.refresh_from_db()
    seats_before, committed_before = program.seats_taken, program.budget_committed
    events = AuditEvent.objects.count()

    result = svc.enrollment_transition(actor=officer, enrollment=enrollment, to=new, reason=REASON)

    enrollment.refresh_from_db()
    assert result.state == enrollment.state == new
    stamped = STAMPED.get(new) if not (old == "suspended" and new == "active") else None
    for name in TIMESTAMPS:
        if name == stamped:
            assert getattr(enrollment, name) is not None and getattr(enrollment, name) != before[name]
        else:
            assert getattr(enrollment, name) == before[name], name
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == events + 1
    action = "enrollment.resume" if (old, new) == ("suspended", "active") else ACTION[new]
    assert (event.action, event.actor, event.actor_name, event.reason) == (action, officer, "officer", REASON)
    assert (event.object_type, event.object_id, event.household_id) == (
        "programs.enrollment", str(enrollment.pk), household.pk)
    assert event.changes["state"] == [old, new]
    assert event.changes["program"] == program.name

    program.refresh_from_db()
    if new == "verified":
        assert enrollment.verification_note == REASON
    if new in ("rejected", "suspended", "exited"):
        assert enrollment.reason == REASON
    if new == "approved":
        assert enrollment.committed_amount == COST
        assert (program.budget_committed, program.seats_taken) == (committed_before + COST, seats_before + 1)
        assert event.changes["committed_amount"] == COST
    elif new in ("graduated", "exited"):
        # The unspent commitment returns; the place returns only to a participant who never started.
        disbursed = enrollment.disbursed_amount
        assert enrollment.committed_amount == disbursed
        assert program.budget_committed == committed_before - (COST - disbursed)
        assert program.seats_taken == seats_before - (1 if old == "approved" else 0)
        assert event.changes["released_amount"] == COST - disbursed
        release = BudgetMovement.objects.filter(program=program, kind=MovementKind.RELEASE).get()
        assert (release.amount, release.participants) == (-(COST - disbursed), 1 if old == "approved" else 0)
    else:
        assert (program.budget_committed, program.seats_taken) == (committed_before, seats_before)
    budget_consistent(program)


@pytest.mark.parametrize(("old", "new"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_it_refuses_the_transition_and_changes_nothing(cast, make_program, enrol, old, new):
    program = make_program(budget=10 * COST)
    enrollment = enrol(program, cast["households"]["rw1"], old)
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_transition(actor=cast["officer"], enrollment=enrollment, to=new, reason=REASON)
    assert caught.value.code == "enrollment_transition"
    assert caught.value.text == (
        f"Status kepesertaan tidak dapat diubah dari {EnrollmentState(old).label} "
        f"menjadi {EnrollmentState(new).label}."
    )
    assert world() == before


def test_it_refuses_an_unknown_state(cast, make_program, enrol):
    enrollment = enrol(make_program(budget=COST), cast["households"]["rw1"], "verified")
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_transition(actor=cast["officer"], enrollment=enrollment, to="paid", reason=REASON)
    assert caught.value.code == "enrollment_transition"
    assert world() == before


REASON_CASES = [(old, new) for old, new in ALLOWED if new in REASON_REQUIRED]


@pytest.mark.parametrize(("old", "new"), REASON_CASES, ids=[f"{a}->{b}" for a, b in REASON_CASES])
@pytest.mark.parametrize("blank", ["", "   \n "])
def test_it_requires_a_reason_where_the_table_says(cast, make_program, enrol, old, new, blank):
    enrollment = enrol(make_program(budget=COST), cast["households"]["rw1"], old)
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_transition(actor=cast["officer"], enrollment=enrollment, to=new, reason=blank)
    assert (caught.value.code, caught.value.field) == ("reason_required", "reason")
    expected = "Catat hasil pemeriksaan lapangan." if new == "verified" else "Alasan wajib diisi."
    assert caught.value.text == expected
    assert world() == before


def test_it_names_exactly_verify_reject_suspend_exit_as_needing_a_reason():
    assert set(REASON_REQUIRED) == {"verified", "rejected", "suspended", "exited"}


OPTIONAL_CASES = [(old, new) for old, new in ALLOWED if new not in REASON_REQUIRED]


@pytest.mark.parametrize(("old", "new"), OPTIONAL_CASES, ids=[f"{a}->{b}" for a, b in OPTIONAL_CASES])
def test_it_takes_an_optional_note_elsewhere(cast, make_program, enrol, old, new):
    enrollment = enrol(make_program(budget=COST), cast["households"]["rw1"], old)
    result = svc.enrollment_transition(actor=cast["officer"], enrollment=enrollment, to=new, reason="  ")
    assert result.state == new
    assert AuditEvent.objects.order_by("-pk").first().reason == ""


def test_it_strips_the_verification_note(cast, make_program, enrol):
    enrollment = enrol(make_program(), cast["households"]["rw1"])
    svc.enrollment_verify(actor=cast["officer"], enrollment=enrollment, note="  Rumah dikunjungi 3 Maret \n")
    enrollment.refresh_from_db()
    assert enrollment.verification_note == "Rumah dikunjungi 3 Maret"


def test_it_moves_along_the_happy_path_through_the_wrappers(cast, make_program):
    officer = cast["officer"]
    program = make_program(budget=COST)
    e = svc.enrollment_apply(actor=officer, program=program, household=cast["households"]["rw1"])
    svc.enrollment_verify(actor=officer, enrollment=e, note="cek lapangan")
    svc.enrollment_approve(actor=officer, enrollment=e)
    svc.enrollment_start(actor=officer, enrollment=e)
    svc.enrollment_suspend(actor=officer, enrollment=e, reason="pindah sementara")
    svc.enrollment_resume(actor=officer, enrollment=e)
    svc.enrollment_graduate(actor=officer, enrollment=e, note="mandiri")
    e.refresh_from_db()
    assert e.state == "graduated"
    actions = list(AuditEvent.objects.filter(object_type="programs.enrollment", object_id=str(e.pk))
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["enrollment.apply", "enrollment.verify", "enrollment.approve", "enrollment.start",
                       "enrollment.suspend", "enrollment.resume", "enrollment.graduate"]


def test_it_refuses_to_resume_an_enrollment_not_suspended(cast, make_program, enrol):
    enrollment = enrol(make_program(budget=COST), cast["households"]["rw1"], "approved")
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_resume(actor=cast["officer"], enrollment=enrollment)
    assert caught.value.code == "enrollment_transition"
    assert world() == before


def test_it_resumes_by_the_stored_state_not_the_callers_copy(cast, make_program, enrol):
    program = make_program(budget=COST)
    enrollment = enrol(program, cast["households"]["rw1"], "approved")
    stale = type(enrollment).objects.get(pk=enrollment.pk)
    stale.state = "suspended"  # a page's copy that no longer matches the database
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_resume(actor=cast["officer"], enrollment=stale)
    assert caught.value.code == "enrollment_transition"
    assert world() == before  # not started by a "resume"

    suspended = enrol(make_program(budget=COST), cast["households"]["rw2"], "suspended")
    fresh_copy_is_old = type(suspended).objects.get(pk=suspended.pk)
    fresh_copy_is_old.state = "applied"
    assert svc.enrollment_resume(actor=cast["officer"], enrollment=fresh_copy_is_old).state == "active"


def test_it_rejects_with_the_reason_and_lets_the_household_apply_again(cast, make_program, enrol):
    program = make_program()
    household = cast["households"]["rw1"]
    rejected = enrol(program, household, "rejected")
    assert (rejected.reason, rejected.decided_at is not None) == (REASON, True)
    again = svc.enrollment_apply(actor=cast["officer"], program=program, household=household)
    assert again.state == "applied"


@pytest.mark.parametrize("state", ["applied", "verified", "approved", "active", "suspended"])
def test_it_refuses_a_second_open_application(cast, make_program, enrol, state):
    program = make_program(budget=COST)
    enrol(program, cast["households"]["rw1"], state)
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_apply(actor=cast["officer"], program=program, household=cast["households"]["rw1"])
    assert caught.value.code == "already_enrolled"
    assert world() == before


@pytest.mark.parametrize(("old", "new"), [("applied", "verified"), ("verified", "approved"), ("approved",
                                                                                              "active"),
                                          ("suspended", "active")])
def test_it_refuses_verify_approve_and_start_in_a_closed_program(cast, make_program, enrol, old, new):
    from bansos.programs.services.programs import program_status_set

    program = make_program(budget=COST)
    enrollment = enrol(program, cast["households"]["rw1"], old)
    program_status_set(actor=cast["admin"], program=program, status="closed")
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_transition(actor=cast["officer"], enrollment=enrollment, to=new, reason=REASON)
    assert caught.value.code == "program_not_open"
    assert world() == before


@pytest.mark.parametrize(("old", "new"), [("active", "graduated"), ("active", "exited"), ("suspended",
                                                                                          "exited"),
                                          ("applied", "rejected"), ("approved", "exited")])
def test_it_still_ends_enrollments_in_a_closed_program(cast, make_program, enrol, old, new):
    from bansos.programs.services.programs import program_status_set

    program = make_program(budget=COST)
    enrollment = enrol(program, cast["households"]["rw1"], old)
    program_status_set(actor=cast["admin"], program=program, status="closed")
    assert svc.enrollment_transition(actor=cast["officer"], enrollment=enrollment, to=new,
                                     reason=REASON).state == new
    budget_consistent(program)


def test_it_refuses_approval_of_a_household_that_left_the_registry(cast, make_program, enrol):
    from bansos.registry.services import household_set_status

    household = cast["households"]["rw1"]
    enrollment = enrol(make_program(budget=COST), household, "verified")
    household_set_status(actor=cast["admin"], household=household, status="moved", reason="pindah ke Depok")
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["officer"], enrollment=enrollment)
    assert caught.value.code == "household_inactive"
    assert world() == before


def test_it_answers_not_found_for_a_deleted_enrollment(cast, make_program, enrol):
    from bansos.core.errors import NotFoundError
    from bansos.programs.models import Enrollment

    enrollment = enrol(make_program(), cast["households"]["rw1"])
    ghost = Enrollment(pk=enrollment.pk + 1000, program_id=enrollment.program_id)
    with pytest.raises(NotFoundError):
        svc.enrollment_transition(actor=cast["officer"], enrollment=ghost, to="verified", reason=REASON)


@pytest.mark.parametrize("who", ["surveyor", "cadre", "evaluator", "resident", None])
def test_it_refuses_transitions_to_roles_without_enrollment_rights(cast, make_program, enrol, who):
    enrollment = enrol(make_program(budget=COST), cast["households"]["rw1"], "verified")
    before = world()
    with pytest.raises(PermissionDeniedError):
        svc.enrollment_approve(actor=cast[who] if who else None, enrollment=enrollment)
    assert world() == before
