"""Never paid twice when two people click at the same moment.

Each case runs twice: as a real race on PostgreSQL (threads with their own connections and
transactions, released together by a barrier; ``transaction=True`` so that every thread sees the
committed set-up), and one call after the other on both databases. SQLite lets one writer at a time,
so on SQLite only the sequential variant runs. The outcome must be the same either way: one approval,
one application of a result file, one batch, one receipt, the money committed and disbursed once.
"""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connection

from bansos.cash.models import Batch, CashReceipt, CycleState, Payment, PaymentStatus, ResultUpload
from bansos.cash.services.cycles import cycle_approve
from bansos.cash.services.payments import batch_create, cash_office_unclaimed, receipt_record
from bansos.cash.services.reconcile import result_upload
from bansos.core.errors import DomainError
from bansos.core.models import AuditEvent
from bansos.programs.models import BudgetMovement, MovementKind
from tests.cash.conftest import budget_consistent, cycle_consistent, refs, result_csv

only_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers, so two transactions cannot overlap there; the sequential variants cover it",
)
COMPONENTS = {"amount_rule": "components", "flat_amount": 0, "per_child_smp": 600_000, "per_under_five": 400_000}
NIK = "3173051708780001"


def _outcome(job):
    try:
        return job()
    except DomainError as exc:
        return exc.code


def _race(jobs) -> list:
    """Run the jobs in threads released together; what each returned, or its DomainError's code."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=20)
            results[i] = _outcome(job)
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            results[i] = repr(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


def _in_turn(jobs) -> list:
    return [_outcome(job) for job in jobs]


# --- The cases: (jobs, check) ---------------------------------------------------------------------


def approvals(cast, admin2, cash_cycle):
    """Two admins approve one cycle whose amounts need a top-up from the budget."""
    program, _e, cycle = cash_cycle(2, budget=3_000_000, **COMPONENTS)
    jobs = [lambda: cycle_approve(actor=cast["admin"], cycle=cycle).state,
            lambda: cycle_approve(actor=admin2, cycle=cycle).state]

    def check(results):
        assert results == [CycleState.APPROVED, CycleState.APPROVED], results
        cycle.refresh_from_db()
        assert cycle.approved_by in (cast["admin"], admin2) and cycle.topup_amount == 200_000
        assert AuditEvent.objects.filter(action="cash.cycle.approve").count() == 1
        commits = BudgetMovement.objects.filter(program=program, kind=MovementKind.COMMIT, note=f"cash cycle {cycle.pk}")
        assert list(commits.values_list("amount", flat=True)) == [200_000]
        program.refresh_from_db()
        assert program.budget_committed == 2_000_000
        budget_consistent(program)
        cycle_consistent(cycle)

    return jobs, check


def same_file(cast, cash_cycle):
    """The same result file uploaded twice (a double click, or two officers)."""
    program, _e, cycle = cash_cycle(2, state="paying")
    data = result_csv([(ref, "paid", "", "", 300_000) for ref in refs(cycle)])

    def job(actor):
        return lambda: result_upload(actor=actor, cycle=cycle, fileobj=io.BytesIO(data), file_name="hasil.csv").paid_count

    def check(results):
        assert sorted(results, key=str) == [2, "same_file"], results
        assert ResultUpload.objects.filter(cycle=cycle).count() == 1
        _paid_once(program, cycle, 2)

    return [job(cast["officer"]), job(cast["admin"])], check


def same_lines(cast, cash_cycle):
    """Two different files (other bytes) carrying the same paid lines."""
    program, _e, cycle = cash_cycle(2, state="paying")
    lines = [(ref, "paid", "", "", 300_000) for ref in refs(cycle)]
    files = [result_csv(lines), result_csv(list(reversed(lines)))]

    def job(i):
        def run():
            result = result_upload(actor=cast["officer"], cycle=cycle, fileobj=io.BytesIO(files[i]),
                                   file_name=f"hasil-{i}.csv")
            return result.paid_count, result.unchanged_count, result.problem_count
        return run

    def check(results):
        assert sorted(results) == [(0, 2, 0), (2, 0, 0)], results
        _paid_once(program, cycle, 2)

    return [job(0), job(1)], check


def _paid_once(program, cycle, count):
    assert Payment.objects.filter(batch__cycle=cycle, status=PaymentStatus.PAID).count() == count
    program.refresh_from_db()
    assert program.budget_disbursed == count * 300_000
    disbursed = BudgetMovement.objects.filter(program=program, kind=MovementKind.DISBURSE)
    assert list(disbursed.values_list("amount", flat=True)) == [count * 300_000]
    assert AuditEvent.objects.filter(action="cash.paid").count() == count
    budget_consistent(program)
    cycle_consistent(cycle)


def batches(cast, cash_cycle):
    """Two clicks on "make the payment file"."""
    program, _e, cycle = cash_cycle(3, state="approved")
    jobs = [lambda: batch_create(actor=cast["officer"], cycle=cycle).batch.line_count,
            lambda: batch_create(actor=cast["admin"], cycle=cycle).batch.line_count]

    def check(results):
        assert sorted(results, key=str) == [3, "nothing_due"], results
        assert Batch.objects.filter(cycle=cycle).count() == 1
        assert Payment.objects.filter(batch__cycle=cycle).count() == 3
        assert AuditEvent.objects.filter(action="cash.batch.create").count() == 1
        budget_consistent(program)
        cycle_consistent(cycle)

    return jobs, check


def receipts(cast, cash_cycle, office):
    """Two counter clerks record the same hand-over."""
    program, _e, cycle = cash_cycle(1, state="paying", institution=office)
    payment = Payment.objects.get(batch__cycle=cycle)

    def job(actor):
        return lambda: receipt_record(actor=actor, payment=payment, receiver_name="Ahmad Uji", receiver_nik=NIK,
                                      identity_document="ktp", identity_checked=True).payment_id

    def check(results):
        assert sorted(results, key=str) == [payment.pk, "already_received"], results
        assert CashReceipt.objects.count() == 1
        _paid_once(program, cycle, 1)
        cycle.refresh_from_db()
        assert cycle.state == CycleState.CLOSED

    return [job(cast["officer"]), job(cast["admin"])], check


def receipt_or_unclaimed(cast, cash_cycle, office):
    """The clerk hands the money over while the officer ends the hand-out: paid or failed, never both."""
    program, _e, cycle = cash_cycle(1, state="paying", institution=office)
    payment = Payment.objects.get(batch__cycle=cycle)
    jobs = [lambda: receipt_record(actor=cast["officer"], payment=payment, receiver_name="Ahmad Uji", receiver_nik=NIK,
                                   identity_document="ktp", identity_checked=True).payment_id,
            lambda: cash_office_unclaimed(actor=cast["admin"], batch=payment.batch, reason="Waktu habis")]

    def check(results):
        payment.refresh_from_db()
        if results[0] == payment.pk:  # the hand-over came first
            assert (results[1], payment.status, CashReceipt.objects.count()) == ("none_selected", "paid", 1)
            _paid_once(program, cycle, 1)
        else:
            assert results == ["not_sent", 1] and payment.status == PaymentStatus.FAILED, results
            assert CashReceipt.objects.count() == 0
            budget_consistent(program)
            cycle_consistent(cycle)

    return jobs, check


def approval_and_exit(cast, cash_cycle):
    """The checker approves while an officer ends a participant's enrollment: no deadlock, money consistent."""
    from bansos.programs.services.enrollment import enrollment_transition

    program, enrollments, cycle = cash_cycle(2)
    leaving = enrollments[0]
    jobs = [lambda: cycle_approve(actor=cast["admin"], cycle=cycle).state,
            lambda: enrollment_transition(actor=cast["officer"], enrollment=leaving, to="exited",
                                          reason="Pindah ke luar kota").state]

    def check(results):
        leaving.refresh_from_db()
        if results[0] == CycleState.APPROVED:  # the exit came second: the approved month stays committed
            assert results[1] == "exited" and leaving.committed_amount == 300_000, results
        else:
            assert results == ["cycle_stale", "exited"] and leaving.committed_amount == 0, results
        budget_consistent(program)
        cycle_consistent(cycle)

    return jobs, check


# --- Real races on PostgreSQL ---------------------------------------------------------------------


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_approves_once_when_two_admins_approve_at_once(cast, admin2, cash_cycle):
    jobs, check = approvals(cast, admin2, cash_cycle)
    check(_race(jobs))


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_applies_the_same_file_uploaded_twice_at_once_once(cast, cash_cycle):
    jobs, check = same_file(cast, cash_cycle)
    check(_race(jobs))


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_pays_once_when_two_files_with_the_same_lines_arrive_at_once(cast, cash_cycle):
    jobs, check = same_lines(cast, cash_cycle)
    check(_race(jobs))


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_makes_one_batch_of_two_clicks_at_once(cast, cash_cycle):
    jobs, check = batches(cast, cash_cycle)
    check(_race(jobs))


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_records_one_receipt_of_two_at_once(cast, cash_cycle, office):
    jobs, check = receipts(cast, cash_cycle, office)
    check(_race(jobs))


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_pays_or_fails_cash_never_both_at_once(cast, cash_cycle, office):
    jobs, check = receipt_or_unclaimed(cast, cash_cycle, office)
    check(_race(jobs))


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_it_queues_an_approval_and_an_exit_at_once_without_deadlock(cast, cash_cycle):
    jobs, check = approval_and_exit(cast, cash_cycle)
    check(_race(jobs))


# --- The same, one after the other (both databases) ----------------------------------------------


@pytest.mark.django_db
def test_it_approves_once_when_two_admins_approve_in_turn(cast, admin2, cash_cycle):
    jobs, check = approvals(cast, admin2, cash_cycle)
    check(_in_turn(jobs))


@pytest.mark.django_db
def test_it_applies_the_same_file_uploaded_twice_in_turn_once(cast, cash_cycle):
    jobs, check = same_file(cast, cash_cycle)
    check(_in_turn(jobs))


@pytest.mark.django_db
def test_it_pays_once_when_two_files_with_the_same_lines_arrive_in_turn(cast, cash_cycle):
    jobs, check = same_lines(cast, cash_cycle)
    check(_in_turn(jobs))


@pytest.mark.django_db
def test_it_makes_one_batch_of_two_clicks_in_turn(cast, cash_cycle):
    jobs, check = batches(cast, cash_cycle)
    check(_in_turn(jobs))


@pytest.mark.django_db
def test_it_records_one_receipt_of_two_in_turn(cast, cash_cycle, office):
    jobs, check = receipts(cast, cash_cycle, office)
    check(_in_turn(jobs))


@pytest.mark.django_db
@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_it_pays_or_fails_cash_never_both_in_turn(cast, cash_cycle, office, order):
    jobs, check = receipt_or_unclaimed(cast, cash_cycle, office)
    results = [None, None]
    for i in order:
        results[i] = _outcome(jobs[i])
    check(results)


@pytest.mark.django_db
@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_it_handles_an_approval_and_an_exit_in_either_order(cast, cash_cycle, order):
    jobs, check = approval_and_exit(cast, cash_cycle)
    results = [None, None]
    for i in order:
        results[i] = _outcome(jobs[i])
    check(results)
