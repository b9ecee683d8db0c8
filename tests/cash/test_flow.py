"""The whole path of a cash cycle through the services: generate, approve, send, reconcile, close."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.cash.conftest import budget_consistent, result_csv

pytestmark = pytest.mark.django_db


def test_cycle_from_generation_to_closing(cast, cash_world):
    from bansos.cash.models import CycleState, EntitlementState, Payment
    from bansos.cash.services.cycles import cycle_approve, cycle_create, cycle_generate
    from bansos.cash.services.payments import batch_create, entitlements_cancel, entitlements_retry
    from bansos.cash.services.reconcile import result_upload

    officer, admin = cast["officer"], cast["admin"]
    program, enrollments = cash_world(3)
    cycle = cycle_create(actor=officer, program=program, period_start=dt.date(2026, 3, 1))
    assert cycle.label == "Maret 2026" and cycle.period_end == dt.date(2026, 3, 31)
    cycle = cycle_generate(actor=officer, cycle=cycle)
    assert cycle.state == CycleState.GENERATED
    assert (cycle.planned_count, cycle.planned_amount) == (3, 900_000)
    cycle = cycle_approve(actor=admin, cycle=cycle)
    assert cycle.state == CycleState.APPROVED and cycle.topup_amount == 0
    result = batch_create(actor=officer, cycle=cycle)
    assert result.batch.line_count == 3 and result.without_account == 0
    payments = list(Payment.objects.filter(batch=result.batch).order_by("pk"))
    lines = [(payments[0].reference, "BERHASIL", "", "05/03/2026", 300000),
             (payments[1].reference, "GAGAL", "Rekening tidak aktif", "", "300.000"),
             ("DK999", "BERHASIL", "", "", 300000),
             (payments[2].reference, "BERHASIL", "", "", 250000)]
    upload = result_upload(actor=officer, cycle=cycle, fileobj=io.BytesIO(result_csv(lines)), file_name="hasil.csv")
    assert (upload.paid_count, upload.failed_count, upload.problem_count, upload.unchanged_count) == (1, 1, 2, 0)
    cycle.refresh_from_db()
    assert cycle.paid_amount == 300_000 and cycle.state == CycleState.PAYING
    budget_consistent(program)
    # The same file again changes nothing.
    from bansos.core.errors import DomainError
    with pytest.raises(DomainError) as refused:
        result_upload(actor=officer, cycle=cycle, fileobj=io.BytesIO(result_csv(lines)), file_name="hasil.csv")
    assert refused.value.code == "same_file"
    # The failed one is retried in a second batch; the mismatched one is paid by a corrected file.
    assert entitlements_retry(actor=officer, cycle=cycle) == 1
    second = batch_create(actor=officer, cycle=cycle).batch
    assert second.number == 2 and second.line_count == 1
    retry = Payment.objects.get(batch=second)
    assert retry.attempt == 2 and retry.reference != payments[1].reference
    fix = [(payments[2].reference, "paid", "", "", 300000), (retry.reference, "failed", "Nama beda", "", 300000),
           (payments[0].reference, "paid", "", "", 300000)]
    upload = result_upload(actor=officer, cycle=cycle, fileobj=io.BytesIO(result_csv(fix)), file_name="b.csv")
    assert (upload.paid_count, upload.failed_count, upload.unchanged_count, upload.problem_count) == (1, 1, 1, 0)
    assert entitlements_cancel(actor=officer, cycle=cycle, reason="Penerima pindah") == 1
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED
    assert (cycle.paid_count, cycle.paid_amount, cycle.cancelled_amount) == (2, 600_000, 300_000)
    assert sorted(cycle.entitlements.values_list("state", flat=True)) == [
        EntitlementState.CANCELLED, EntitlementState.PAID, EntitlementState.PAID]
    budget_consistent(program)


def test_references_match_whatever_their_case(cast, cash_cycle):
    from tests.cash.conftest import refs, upload

    _program, _enrollments, cycle = cash_cycle(2, state="paying")
    first, second = refs(cycle)
    done = upload(cast["officer"], cycle, [(first.lower(), "paid", "", "", 300000),
                                           (f"  {second} ", "paid", "", "", 300000)])
    assert (done.paid_count, done.problem_count) == (2, 0)


def test_an_approved_cycle_whose_every_entitlement_is_cancelled_closes(cast, cash_cycle):
    from bansos.cash.models import CycleState
    from bansos.cash.services.payments import entitlements_cancel

    program, _enrollments, cycle = cash_cycle(2, state="approved")
    assert entitlements_cancel(actor=cast["officer"], cycle=cycle, reason="Daftar salah") == 2
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED and cycle.cancelled_amount == 600_000
    budget_consistent(program)


def test_a_cycle_is_named_in_indonesian_whatever_the_officers_language(cast, cash_world):
    from django.utils import translation

    from bansos.cash.services.cycles import cycle_create

    program, _enrollments = cash_world(1)
    with translation.override("en"):
        cycle = cycle_create(actor=cast["officer"], program=program, period_start=dt.date(2026, 3, 1))
    assert cycle.label == "Maret 2026"


def test_state_messages_with_quotes_are_translated():
    from django.utils import translation

    from bansos.cash.services.cycles import MSG_STATE

    with translation.override("en"):
        assert "Siklus" not in str(MSG_STATE)
