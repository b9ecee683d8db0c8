"""Two officers approving at the same moment never commit more than the budget.

The guarantee is the database's: one conditional UPDATE on the program row plus CHECK constraints.
The concurrent tests run real transactions on separate connections (one per thread) and need
PostgreSQL: SQLite lets one writer at a time, so there the same case is tested one after the other.
"""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from bansos.core.errors import DomainError
from bansos.core.models import AuditEvent
from bansos.programs.models import BudgetMovement, Enrollment, FundingSource, MovementKind, Program
from bansos.programs.services import bulk, funding
from bansos.programs.services import enrollment as svc
from tests.programs.conftest import budget_consistent, world

COST = 900_000
only_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers (one write transaction at a time), so two transactions cannot overlap "
           "there; the sequential variants cover SQLite",
)


def _race(*jobs):
    """Run the jobs in threads that start together; return what each returned or raised (its error code)."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            results[i] = job(barrier)
        except DomainError as exc:
            results[i] = exc.code
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            results[i] = repr(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


def _two_verified(cast, make_program, enrol, **fields):
    program = make_program(budget=COST, **fields)  # room for one participant
    return program, [enrol(program, cast["households"][k], "verified") for k in ("rw1", "rw2")]


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_approves_exactly_one_of_two_simultaneous_approvals(cast, make_program, enrol):
    program, enrollments = _two_verified(cast, make_program, enrol)
    officers = [cast["officer"], cast["admin"]]
    events = AuditEvent.objects.count()

    def approve(i):
        def job(barrier):
            barrier.wait(timeout=10)
            return svc.enrollment_approve(actor=officers[i], enrollment=enrollments[i]).state
        return job

    results = _race(approve(0), approve(1))
    assert sorted(results) == ["approved", "budget_exhausted"], results
    program.refresh_from_db()
    assert (program.budget_committed, program.seats_taken) == (COST, 1)
    assert program.budget_committed <= program.budget_allocated
    states = sorted(Enrollment.objects.filter(program=program).values_list("state", flat=True))
    assert states == ["approved", "verified"]
    loser = Enrollment.objects.get(program=program, state="verified")
    assert (loser.committed_amount, loser.decided_at) == (0, None)
    assert BudgetMovement.objects.filter(program=program, kind=MovementKind.COMMIT).count() == 1
    assert AuditEvent.objects.count() == events + 1
    budget_consistent(program)


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_one_commitment_through_by_the_conditional_update_alone(cast, make_program):
    """Even without the program row lock an approval takes first: both UPDATEs run in open transactions."""
    program = make_program(budget=COST)

    def commit(barrier):
        with transaction.atomic():
            Program.objects.get(pk=program.pk)  # each reads the same remaining budget, unlocked
            barrier.wait(timeout=10)
            funding.budget_commit(actor=None, program=program, amount=COST, seats=1, note="race")
            return "committed"

    results = _race(commit, commit)
    assert sorted(results) == ["budget_exhausted", "committed"], results
    program.refresh_from_db()
    assert (program.budget_committed, program.seats_taken) == (COST, 1)
    assert BudgetMovement.objects.filter(program=program, kind=MovementKind.COMMIT).count() == 1


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_a_bulk_and_a_single_approval_at_once_within_budget(cast, make_program, enrol, households):
    program = make_program(budget=2 * COST)
    people = [cast["households"]["rw1"], cast["households"]["rw2"], *households(2)]
    enrollments = [enrol(program, h, "verified") for h in people]

    def single(barrier):
        barrier.wait(timeout=10)
        return svc.enrollment_approve(actor=cast["officer"], enrollment=enrollments[0]).state

    def many(barrier):
        barrier.wait(timeout=10)
        return bulk.enrollment_bulk_approve(actor=cast["admin"], program=program,
                                            ids=[e.pk for e in enrollments[1:]]).done

    results = _race(single, many)
    # Whoever locks the program first takes what it can; the other gets what is left.
    assert results in (["approved", 1], ["budget_exhausted", 2]), results
    program.refresh_from_db()
    assert (program.budget_committed, program.seats_taken) == (2 * COST, 2)
    budget_consistent(program)


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_never_overdraws_a_source_with_two_allocations_at_once(cast, agencies, make_program):
    source = funding.funding_source_create(actor=cast["admin"], data={
        "name": "Hibah kecil", "kind": "donor", "agency": None, "shared": True, "fiscal_year": 2026,
        "amount": 1_000_000})
    programs = [make_program(), make_program(name="Program Kedua")]

    def allocate(i):
        def job(barrier):
            barrier.wait(timeout=10)
            funding.funding_allocate(actor=cast["admin"], source=source, program=programs[i], amount=700_000)
            return "allocated"
        return job

    results = _race(allocate(0), allocate(1))
    assert sorted(results) == ["allocated", "source_not_enough"], results
    source.refresh_from_db()
    assert source.allocated == 700_000
    assert sum(Program.objects.filter(pk__in=[p.pk for p in programs]).values_list("budget_allocated",
                                                                                   flat=True)) \
        == 700_000


@pytest.mark.django_db
def test_it_refuses_the_second_of_two_approvals_one_after_the_other(cast, make_program, enrol):
    """The sequential variant of the race, on both databases."""
    program, (first, second) = _two_verified(cast, make_program, enrol)
    svc.enrollment_approve(actor=cast["officer"], enrollment=first)
    before = world()
    with pytest.raises(DomainError) as caught:
        svc.enrollment_approve(actor=cast["admin"], enrollment=second)
    assert caught.value.code == "budget_exhausted"
    assert world() == before
    budget_consistent(program)


# --- The CHECK constraints hold even for an UPDATE that skips the services' condition ------------


def _refused(qs, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        qs.update(**values)


@pytest.mark.django_db
def test_it_has_the_database_refuse_committing_past_the_allocation(cast, make_program, enrol):
    program = make_program(budget=COST, capacity=1)
    enrol(program, cast["households"]["rw1"], "active")
    before = world()
    same = Program.objects.filter(pk=program.pk)
    _refused(same, budget_committed=F("budget_allocated") + 1)
    _refused(same, budget_committed=-1)
    _refused(same, budget_disbursed=F("budget_committed") + 1)
    _refused(same, seats_taken=F("capacity") + 1)
    _refused(same, budget_allocated=F("budget_committed") - 1)  # a withdrawal past the commitments
    assert world() == before


@pytest.mark.django_db
def test_it_has_the_database_refuse_paying_more_than_committed(cast, make_program, enrol):
    program = make_program(budget=COST)
    enrollment = enrol(program, cast["households"]["rw1"], "active")
    before = world()
    _refused(Enrollment.objects.filter(pk=enrollment.pk), disbursed_amount=F("committed_amount") + 1)
    _refused(Enrollment.objects.filter(pk=enrollment.pk), committed_amount=-1)
    assert world() == before


@pytest.mark.django_db
def test_it_has_the_database_refuse_allocating_more_than_a_source_has(cast, make_program, source):
    before = world()
    _refused(FundingSource.objects.filter(pk=source.pk), allocated=F("amount") + 1)
    _refused(FundingSource.objects.filter(pk=source.pk), allocated=-1)
    assert world() == before


@pytest.mark.django_db
def test_it_has_the_database_keep_one_open_enrollment_per_household(cast, make_program, enrol):
    program = make_program()
    enrollment = enrol(program, cast["households"]["rw1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(program=program, household=enrollment.household)
    assert Enrollment.objects.filter(program=program).count() == 1


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_makes_one_enrollment_of_two_applications_at_once(cast, make_program):
    program = make_program()
    household = cast["households"]["rw1"]

    def apply(actor):
        def job(barrier):
            barrier.wait(timeout=10)
            return svc.enrollment_apply(actor=actor, program=program, household=household).state
        return job

    results = _race(apply(cast["officer"]), apply(cast["admin"]))
    assert sorted(results) == ["already_enrolled", "applied"], results
    assert Enrollment.objects.filter(program=program, household=household).count() == 1


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_leaves_one_pending_referral_of_two_sent_at_once(cast, make_program, enrol):
    from bansos.programs.models import Referral
    from bansos.programs.services.referrals import referral_send

    household = cast["households"]["rw1"]
    cash = make_program(budget=COST)
    enrol(cash, household, "active")
    course = make_program("lsm", kind="training", benefit_amount=0)

    def send(barrier):
        barrier.wait(timeout=10)
        return referral_send(actor=cast["officer"], household=household, from_program=cash,
                             to_program=course).status

    results = _race(send, send)
    assert sorted(results) == ["referral_pending", "sent"], results
    assert Referral.objects.filter(household=household, to_program=course).count() == 1


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_approves_once_when_two_forbidden_programs_approve_at_once(cast, make_program, enrol):
    from bansos.programs.services.overlap import overlap_policy_create

    household = cast["households"]["rw1"]
    ours, theirs = make_program("dinsos", budget=COST), make_program("lsm", budget=COST)
    mine = enrol(ours, household, "verified", actor=cast["officer"])
    other = enrol(theirs, household, "verified", actor=cast["officer_other"])
    overlap_policy_create(actor=cast["admin"], data={"kind_a": "cash", "kind_b": "cash", "effect": "forbid"})

    def approve(actor, enrollment):
        def job(barrier):
            barrier.wait(timeout=10)
            return svc.enrollment_approve(actor=actor, enrollment=enrollment).state
        return job

    results = _race(approve(cast["officer"], mine), approve(cast["officer_other"], other))
    assert sorted(results) == ["approved", "overlap_forbidden"], results
    assert Enrollment.objects.filter(household=household, state="approved").count() == 1
