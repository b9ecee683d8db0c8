"""Payment batches, retries, cancellations, cash receipts, and the database's "never pay twice".

Refusals assert that nothing changed (cash_state); money steps that the program's figures agree with
its ledger (budget_consistent) and the cycle's totals with its entitlements (cycle_consistent).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bansos.cash.models import (
    Batch, CashReceipt, Cycle, CycleState, Entitlement, EntitlementState, Payment, PaymentStatus,
)
from bansos.cash.services.cycles import cycle_approve, cycle_create, cycle_generate
from bansos.cash.services.payments import (
    PICKUP_ALPHABET, batch_create, cash_office_unclaimed, entitlements_cancel, entitlements_retry, receipt_record,
    reference_checks, reference_for,
)
from bansos.core.models import AuditEvent
from bansos.programs.models import Enrollment
from tests.cash.conftest import budget_consistent, cash_state, cycle_consistent, refs, refused, upload

pytestmark = pytest.mark.django_db

REASON = "Penerima tidak datang sampai batas waktu"
OUTSIDERS = ("officer_other", "surveyor", "cadre", "evaluator", "resident")
NIK = "3173051708780001"




def db_refuses(make) -> None:
    """The database itself refuses the write (constraint), whatever the services would have said."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


# --- References -----------------------------------------------------------------------------------


def test_it_makes_references_with_check_digits_that_catch_a_typo():
    reference = reference_for(12, 3456, 1)
    assert reference == "DK000120000345601" + reference[-2:] and len(reference) == 19
    assert reference_checks(reference)
    for position in range(2, len(reference)):
        typo = reference[:position] + str((int(reference[position]) + 1) % 10) + reference[position + 1:]
        assert not reference_checks(typo), typo
    swapped = reference[:5] + reference[6] + reference[5] + reference[7:]
    assert swapped == reference or not reference_checks(swapped)
    assert len({reference_for(1, e, a) for e in range(1, 50) for a in (1, 2, 3)}) == 147
    assert not reference_checks("DK") and not reference_checks("XX0001000000010199")


# --- Batches --------------------------------------------------------------------------------------


def test_it_sends_every_due_entitlement_in_one_batch_with_its_account(cast, cash_cycle):
    program, enrollments, cycle = cash_cycle(3, state="approved")
    result = batch_create(actor=cast["officer"], cycle=cycle)
    batch = result.batch
    assert (batch.number, batch.line_count, batch.total_amount, result.without_account) == (1, 3, 900_000, 0)
    payments = list(Payment.objects.filter(batch=batch).select_related("entitlement").order_by("pk"))
    for i, payment in enumerate(payments):
        entitlement = payment.entitlement
        assert payment.reference == reference_for(cycle.pk, entitlement.pk, 1)
        assert (payment.attempt, payment.amount, payment.status, payment.pickup_code) == (
            1, 300_000, PaymentStatus.SENT, "")
        assert (payment.account_number, payment.account_name) == (f"1234500{i:03d}", f"Penerima {i}")
        assert (entitlement.state, entitlement.attempts) == (EntitlementState.SENT, 1)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.PAYING
    assert AuditEvent.objects.filter(action="cash.batch.create", object_id=str(cycle.pk)).count() == 1
    assert AuditEvent.objects.get(action="cash.batch.create").changes == {
        "batch": 1, "lines": 3, "amount": 900_000, "without_account": 0}
    cycle_consistent(cycle)
    budget_consistent(program)


def test_it_holds_back_households_without_an_account_until_one_is_recorded(cast, cash_world, cash_cycle):
    from bansos.cash.services.setup import payee_account_set

    program, enrollments = cash_world(3, accounts=False)
    _p, _e, cycle = cash_cycle(program=program, enrollments=enrollments, state="approved")
    error = refused("no_accounts", batch_create, actor=cast["officer"], cycle=cycle)
    assert error.params["count"] == 3
    for e in enrollments[:2]:
        payee_account_set(actor=cast["officer"], household=e.household, institution=cycle.institution,
                          account_number="0012-3456-78", account_name="Penerima")
    result = batch_create(actor=cast["officer"], cycle=cycle)
    assert (result.batch.line_count, result.without_account) == (2, 1)
    waiting = Entitlement.objects.get(cycle=cycle, state=EntitlementState.DUE)
    assert waiting.enrollment_id == enrollments[2].pk
    payee_account_set(actor=cast["admin"], household=enrollments[2].household, institution=cycle.institution,
                      account_number="99887766", account_name="Penerima Tiga")
    second = batch_create(actor=cast["officer"], cycle=cycle)
    assert (second.batch.number, second.batch.line_count, second.without_account) == (2, 1, 0)
    assert Payment.objects.get(batch=second.batch).account_number == "99887766"
    cycle_consistent(cycle)


def test_it_refuses_a_second_batch_when_nothing_is_due(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(2, state="paying")
    refused("nothing_due", batch_create, actor=cast["officer"], cycle=cycle)
    assert Batch.objects.filter(cycle=cycle).count() == 1


def test_it_refuses_a_batch_before_approval(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(2)
    refused("cycle_not_approved", batch_create, actor=cast["officer"], cycle=cycle)


def test_it_refuses_a_batch_to_anyone_but_the_managers(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(1, state="approved")
    for who in (*OUTSIDERS, None):
        refused("permission_denied", batch_create, actor=cast[who] if who else None, cycle=cycle)


def test_it_lets_an_admin_send_a_batch(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(1, state="approved")
    assert batch_create(actor=cast["admin"], cycle=cycle).batch.line_count == 1


# --- Never twice, held by the database ------------------------------------------------------------


def _copy(entitlement: Entitlement, **changes) -> Entitlement:
    values = {f.attname: getattr(entitlement, f.attname) for f in Entitlement._meta.concrete_fields
              if f.attname != "id"}
    values.update(changes)
    return Entitlement(**values)


def test_it_has_the_database_refuse_a_second_entitlement_in_a_cycle(cast, cash_cycle):
    _p, enrollments, cycle = cash_cycle(2)
    first, second = Entitlement.objects.filter(cycle=cycle).order_by("pk")
    before = cash_state()
    db_refuses(lambda: _copy(first).save())  # the same enrollment again
    # Another enrollment, but the same household: still one payment per household and cycle.
    db_refuses(lambda: _copy(first, enrollment_id=enrollments[1].pk).save())
    db_refuses(lambda: Entitlement.objects.filter(pk=second.pk).update(household_id=first.household_id))
    db_refuses(lambda: Entitlement.objects.filter(pk=first.pk).update(amount=0))
    db_refuses(lambda: Entitlement.objects.filter(pk=first.pk).update(topup_amount=F("amount") + 1))
    assert cash_state() == before


def test_it_has_the_database_refuse_a_person_paid_twice_in_a_cycle(cast, family, cash_program):
    from tests.factories import person

    home = family(person("Ibu Lansia", "P", dt.date(1950, 1, 1), "head"),
                  person("Bapak Lansia", "L", dt.date(1949, 1, 1), "spouse"))
    mother, father = home.residents.order_by("pk")
    program, enrollments = cash_program([home, home], people=[mother, father])
    cycle = cycle_generate(actor=cast["officer"], cycle=cycle_create(
        actor=cast["officer"], program=program, period_start=dt.date(2026, 3, 1)))
    # Two people of one household are two payments in a person program...
    assert Entitlement.objects.filter(cycle=cycle, household=home).count() == 2
    # ...but one person is never two.
    db_refuses(lambda: Entitlement.objects.filter(cycle=cycle, participant=father).update(participant_id=mother.pk))


def test_it_has_the_database_refuse_a_second_live_payment_or_a_reused_reference(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(2, state="paying")
    payment, other = Payment.objects.filter(batch__cycle=cycle).order_by("pk")
    before = cash_state()

    def attempt(number: int, status: str, reference: str | None = None):
        return lambda: Payment.objects.create(
            entitlement_id=payment.entitlement_id, batch_id=payment.batch_id, attempt=number, amount=payment.amount,
            status=status, reference=reference or reference_for(cycle.pk, payment.entitlement_id, number))

    db_refuses(attempt(2, "sent"))  # a second payment out while the first is out
    db_refuses(attempt(1, "failed"))  # the same attempt number again
    db_refuses(attempt(2, "failed", reference=other.reference))  # someone else's reference
    db_refuses(lambda: Payment.objects.filter(pk=other.pk).update(entitlement_id=payment.entitlement_id))
    db_refuses(lambda: Payment.objects.filter(pk=payment.pk).update(amount=0))
    assert cash_state() == before
    # Once paid, a second payment is refused too.
    upload(cast["officer"], cycle, [(payment.reference, "paid", "", "", 300_000)])
    db_refuses(attempt(2, "sent"))
    db_refuses(attempt(2, "paid"))
    db_refuses(lambda: Cycle.objects.filter(pk=cycle.pk).update(paid_amount=F("planned_amount") + 1))


# --- Retry and cancel -----------------------------------------------------------------------------


def _fail_all(cast, cycle, reason="Rekening tidak aktif"):
    upload(cast["officer"], cycle, [(ref, "gagal", reason, "", 300_000) for ref in refs(cycle)],
           name=f"gagal-{Payment.objects.count()}.csv")


def test_it_retries_failed_entitlements_in_a_new_batch_with_new_references(cast, cash_cycle):
    program, _e, cycle = cash_cycle(3, state="paying")
    first_refs = refs(cycle)
    _fail_all(cast, cycle)
    assert entitlements_retry(actor=cast["officer"], cycle=cycle, ids=[
        Entitlement.objects.filter(cycle=cycle).order_by("pk").first().pk]) == 1
    assert entitlements_retry(actor=cast["admin"], cycle=cycle) == 2
    assert set(Entitlement.objects.filter(cycle=cycle).values_list("state", flat=True)) == {EntitlementState.DUE}
    batch = batch_create(actor=cast["officer"], cycle=cycle).batch
    assert (batch.number, batch.line_count) == (2, 3)
    second_refs = list(Payment.objects.filter(batch=batch).values_list("reference", flat=True))
    assert not set(second_refs) & set(first_refs)
    assert set(Payment.objects.filter(batch=batch).values_list("attempt", flat=True)) == {2}
    assert set(Entitlement.objects.filter(cycle=cycle).values_list("attempts", flat=True)) == {2}
    assert AuditEvent.objects.filter(action="cash.retry").count() == 3
    cycle_consistent(cycle)
    budget_consistent(program)


def test_it_refuses_retrying_what_has_not_failed(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(2, state="paying")
    refused("none_selected", entitlements_retry, actor=cast["officer"], cycle=cycle)
    _fail_all(cast, cycle)
    refused("none_selected", entitlements_retry, actor=cast["officer"], cycle=cycle, ids=[0])
    for who in OUTSIDERS:
        refused("permission_denied", entitlements_retry, actor=cast[who], cycle=cycle)


def test_it_cancels_failed_and_unsent_entitlements_and_returns_their_money(cast, cash_world, cash_cycle):
    program, enrollments = cash_world(3, accounts=False)
    from bansos.cash.services.setup import payee_account_set

    for e in enrollments[:2]:
        payee_account_set(actor=cast["admin"], household=e.household, institution=program.cash_scheme.institution,
                          account_number="123456789", account_name="Penerima")
    _p, _e, cycle = cash_cycle(program=program, enrollments=enrollments, state="paying")
    paid_ref, failed_ref = refs(cycle)
    upload(cast["officer"], cycle, [(paid_ref, "paid", "", "", 300_000), (failed_ref, "failed", "Tutup", "", 300_000)])
    committed = program.budget_committed
    # Nothing sent may be cancelled: the bank might pay it.
    sent_or_paid = list(Entitlement.objects.filter(cycle=cycle, state=EntitlementState.PAID).values_list("pk", flat=True))
    refused("none_selected", entitlements_cancel, actor=cast["officer"], cycle=cycle, reason=REASON, ids=sent_or_paid)
    refused("reason_required", entitlements_cancel, actor=cast["officer"], cycle=cycle, reason="")
    assert entitlements_cancel(actor=cast["officer"], cycle=cycle, reason=REASON) == 2  # failed + no account
    cycle.refresh_from_db()
    program.refresh_from_db()
    assert (cycle.state, cycle.cancelled_count, cycle.cancelled_amount, cycle.paid_amount) == (
        CycleState.CLOSED, 2, 600_000, 300_000)
    assert cycle.closed_at is not None
    assert program.budget_committed == committed - 600_000
    assert sorted(Enrollment.objects.filter(program=program).values_list("committed_amount", "disbursed_amount")) == [
        (600_000, 0), (600_000, 0), (900_000, 300_000)]
    assert AuditEvent.objects.filter(action="cash.cancel").count() == 2
    budget_consistent(program)
    cycle_consistent(cycle)
    # A closed cycle takes nothing more.
    refused("cycle_state", entitlements_cancel, actor=cast["officer"], cycle=cycle, reason=REASON)
    refused("cycle_not_approved", batch_create, actor=cast["officer"], cycle=cycle)


def test_it_refuses_cancelling_entitlements_of_an_unapproved_cycle(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(2)
    refused("cycle_state", entitlements_cancel, actor=cast["officer"], cycle=cycle, reason=REASON)
    for who in OUTSIDERS:
        refused("permission_denied", entitlements_cancel, actor=cast[who], cycle=cycle, reason=REASON)


def test_it_keeps_the_money_of_an_outstanding_payment_committed_when_the_participant_exits(cast, cash_cycle):
    from bansos.programs.services.enrollment import enrollment_transition

    program, enrollments, cycle = cash_cycle(2, state="paying")
    leaving = enrollments[0]
    ref = Payment.objects.get(entitlement__enrollment=leaving).reference
    enrollment_transition(actor=cast["officer"], enrollment=leaving, to="exited", reason="Pindah ke luar kota")
    leaving.refresh_from_db()
    assert (leaving.committed_amount, leaving.disbursed_amount) == (300_000, 0)  # Rp 600.000 released
    budget_consistent(program)
    # The bank paid before the exit was known: the payment still applies, within what stayed committed.
    result = upload(cast["officer"], cycle, [(ref, "paid", "", "", 300_000)])
    assert (result.paid_count, result.problem_count) == (1, 0)
    leaving.refresh_from_db()
    assert (leaving.committed_amount, leaving.disbursed_amount) == (300_000, 300_000)
    budget_consistent(program)
    cycle_consistent(cycle)


def test_it_releases_a_leavers_failed_payment_when_it_is_cancelled(cast, cash_cycle):
    from bansos.programs.services.enrollment import enrollment_transition

    program, enrollments, cycle = cash_cycle(1, state="paying")
    _fail_all(cast, cycle)
    enrollment_transition(actor=cast["officer"], enrollment=enrollments[0], to="exited", reason="Meninggal")
    enrollments[0].refresh_from_db()
    assert enrollments[0].committed_amount == 300_000  # a failed payment is still owed
    entitlements_cancel(actor=cast["admin"], cycle=cycle, reason="Peserta keluar")
    enrollments[0].refresh_from_db()
    program.refresh_from_db()
    assert (enrollments[0].committed_amount, program.budget_committed) == (0, 0)
    budget_consistent(program)
    cycle_consistent(cycle)


# --- Cash at the kelurahan office -----------------------------------------------------------------


@pytest.fixture
def office_cycle(cast, cash_cycle, office):
    """A paying cycle of two households paid in cash at the kelurahan office."""
    return cash_cycle(2, state="paying", institution=office)


def receive(actor, payment, **changes):
    data = {"receiver_name": "Ahmad Uji", "receiver_nik": NIK, "identity_document": "ktp",
            "identity_checked": True, "receiver_note": ""}
    data.update(changes)
    return receipt_record(actor=actor, payment=payment, **data)


def test_it_gives_every_cash_payment_a_pickup_code(cast, office_cycle):
    _p, _e, cycle = office_cycle
    codes = list(Payment.objects.filter(batch__cycle=cycle).values_list("pickup_code", "account_number"))
    assert len(codes) == 2 and len({code for code, _a in codes}) == 2
    for code, account in codes:
        assert len(code) == 8 and set(code) <= set(PICKUP_ALPHABET) and account == ""


def test_it_records_cash_handed_over_once_and_pays_it(cast, office_cycle):
    program, enrollments, cycle = office_cycle
    payment = Payment.objects.filter(batch__cycle=cycle).order_by("pk").first()
    receipt = receive(cast["officer"], payment, receiver_name="  Siti Aminah ", receiver_note="istri penerima")
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on, payment.result) == (PaymentStatus.PAID, timezone.localdate(), None)
    assert (receipt.receiver_name, receipt.receiver_nik, receipt.receiver_note, receipt.handed_by) == (
        "Siti Aminah", NIK, "istri penerima", cast["officer"])
    assert receipt.identity_checked is True and receipt.identity_document == "ktp"
    entitlement = payment.entitlement
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.paid_on) == (EntitlementState.PAID, timezone.localdate())
    enrollment = Enrollment.objects.get(pk=entitlement.enrollment_id)
    assert enrollment.disbursed_amount == 300_000
    program.refresh_from_db()
    assert program.budget_disbursed == 300_000
    assert AuditEvent.objects.filter(action="cash.paid").count() == 1
    budget_consistent(program)
    cycle_consistent(cycle)
    # The same money is never handed over twice.
    error = refused("already_received", receive, cast["admin"], payment)
    assert str(timezone.localdate()) in error.text
    assert CashReceipt.objects.count() == 1
    # The second household collects: the cycle is done.
    receive(cast["admin"], Payment.objects.get(batch__cycle=cycle, status=PaymentStatus.SENT))
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED
    budget_consistent(program)
    cycle_consistent(cycle)


RECEIPT_MISTAKES = [
    ({"identity_checked": False}, "identity_checked"),
    ({"identity_checked": "yes"}, "identity_checked"),
    ({"receiver_nik": "3173"}, "receiver_nik"),
    ({"receiver_nik": "31730517087800AB"}, "receiver_nik"),
    ({"receiver_nik": ""}, "receiver_nik"),
    ({"receiver_nik": "3173053213780001"}, "receiver_nik"),  # born on the 32nd of the 13th month
    ({"receiver_nik": "9973051708780001"}, "receiver_nik"),  # no province 99
    ({"receiver_nik": "3173051708780000"}, "receiver_nik"),  # serial 0000
    ({"receiver_name": "   "}, "receiver_name"),
    ({"receiver_name": "A" * 121}, "receiver_name"),
    ({"identity_document": "sim"}, "identity_document"),
]


def test_it_refuses_a_receipt_without_a_checked_identity(cast, office_cycle):
    _p, _e, cycle = office_cycle
    payment = Payment.objects.filter(batch__cycle=cycle).first()
    for changes, code in RECEIPT_MISTAKES:
        refused(code, receive, cast["officer"], payment, **changes)


def test_it_has_the_database_refuse_a_receipt_without_identity_or_twice(cast, office_cycle):
    _p, _e, cycle = office_cycle
    payment = Payment.objects.filter(batch__cycle=cycle).first()
    values = {"payment": payment, "receiver_name": "X", "receiver_nik": NIK, "identity_document": "ktp",
              "received_at": timezone.now()}
    db_refuses(lambda: CashReceipt.objects.create(identity_checked=False, **values))
    receive(cast["officer"], payment)
    db_refuses(lambda: CashReceipt.objects.create(identity_checked=True, **values))


def test_it_refuses_a_receipt_for_a_bank_payment(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(1, state="paying")
    refused("not_cash_office", receive, cast["officer"], Payment.objects.get(batch__cycle=cycle))
    refused("not_cash_office", cash_office_unclaimed, actor=cast["officer"], batch=Batch.objects.get(cycle=cycle),
            reason=REASON)


def test_it_refuses_receipts_and_unclaimed_to_anyone_but_the_managers(cast, office_cycle):
    _p, _e, cycle = office_cycle
    for who in (*OUTSIDERS, None):
        actor = cast[who] if who else None
        refused("permission_denied", receive, actor, Payment.objects.filter(batch__cycle=cycle).first())
        refused("permission_denied", cash_office_unclaimed, actor=actor, batch=Batch.objects.get(cycle=cycle),
                reason=REASON)


def test_it_fails_unclaimed_cash_then_retries_it_with_new_codes(cast, office_cycle):
    program, _e, cycle = office_cycle
    batch = Batch.objects.get(cycle=cycle)
    collected, unclaimed = Payment.objects.filter(batch=batch).order_by("pk")
    receive(cast["officer"], collected)
    refused("reason_required", cash_office_unclaimed, actor=cast["officer"], batch=batch, reason=" ")
    assert cash_office_unclaimed(actor=cast["admin"], batch=batch, reason=REASON) == 1
    unclaimed.refresh_from_db()
    assert (unclaimed.status, unclaimed.failure_reason) == (PaymentStatus.FAILED, REASON)
    assert Entitlement.objects.get(pk=unclaimed.entitlement_id).state == EntitlementState.FAILED
    refused("none_selected", cash_office_unclaimed, actor=cast["officer"], batch=batch, reason=REASON)
    refused("not_sent", receive, cast["officer"], unclaimed)
    entitlements_retry(actor=cast["officer"], cycle=cycle)
    second = batch_create(actor=cast["officer"], cycle=cycle).batch
    retry = Payment.objects.get(batch=second)
    assert (second.number, retry.attempt, retry.entitlement_id) == (2, 2, unclaimed.entitlement_id)
    assert retry.reference != unclaimed.reference and retry.pickup_code != unclaimed.pickup_code
    assert len(retry.pickup_code) == 8
    receive(cast["officer"], retry)
    cycle.refresh_from_db()
    assert (cycle.state, cycle.paid_count, cycle.paid_amount) == (CycleState.CLOSED, 2, 600_000)
    budget_consistent(program)
    cycle_consistent(cycle)


def test_it_refuses_approving_and_paying_with_another_checker_path(cast, admin2, cash_world, cash_cycle):
    """An admin may both generate and send, but never both generate and approve."""
    program, enrollments = cash_world(1)
    _p, _e, cycle = cash_cycle(program=program, enrollments=enrollments, maker=cast["admin"], checker=admin2,
                               state="approved")
    assert batch_create(actor=cast["admin"], cycle=cycle).batch.line_count == 1
    assert cycle_approve(actor=cast["admin"], cycle=cycle).approved_by == admin2
