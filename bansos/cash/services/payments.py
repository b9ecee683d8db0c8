"""Payment batches, outcomes (paid, failed), retries, cancellations, and cash receipts at the office.

Every change of a payment's status is a conditional UPDATE ("... WHERE status = 'sent'") whose
row count is checked, under the program and cycle row locks; a partial unique index allows one
sent-or-paid payment per entitlement. Paying moves money from committed to disbursed on the
enrollment and the program in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.cash.access import require_cash
from bansos.cash.models import (
    Batch, CashReceipt, Cycle, CycleState, Entitlement, EntitlementState, IdentityDocument, InstitutionKind,
    PayeeAccount, Payment, PaymentStatus, ResultUpload,
)
from bansos.cash.services.cycles import BATCH, MSG_REASON_REQUIRED, add_to_enrollments, close_if_done, lock_cycle
from bansos.core.audit import audit_log, bulk_audit
from bansos.core.errors import DomainError, NotFoundError
from bansos.core.sql import update_from_rows
from bansos.programs.models import BudgetMovement, Enrollment, MovementKind, Program
from bansos.programs.services import funding
from bansos.registry.identifiers import parse_nik
from bansos.registry.importing.bulk import Inserter, values_among

MSG_NOT_APPROVED = _("Siklus belum disetujui; pembayaran belum dapat dikirim.")
MSG_NOTHING_DUE = _("Tidak ada penerima yang menunggu dibayar dalam siklus ini.")
MSG_ALL_WITHOUT_ACCOUNT = _(
    "%(count)s penerima menunggu, tetapi belum ada yang punya rekening di %(institution)s. Catat rekeningnya dahulu."
)
MSG_NOT_CASH_OFFICE = _("Tanda terima hanya untuk pembayaran tunai di kantor kelurahan.")
MSG_ALREADY_RECEIVED = _("Uang ini sudah diterima pada %(when)s; tidak dicatat dua kali.")
MSG_NOT_SENT = _("Pembayaran ini tidak sedang menunggu diambil (status: %(status)s).")
MSG_IDENTITY = _("Cocokkan identitas penerima dengan dokumennya dahulu.")
MSG_NIK = _("NIK harus 16 angka.")
MSG_NAME = _("Nama penerima wajib diisi.")
MSG_NONE_SELECTED = _("Tidak ada penerima yang dapat diproses dengan pilihan ini.")
MSG_CHANGED_MEANWHILE = "payment statuses changed under the cycle lock"

PICKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PAYMENT_COLUMNS = ("entitlement_id", "batch_id", "attempt", "reference", "amount", "account_number", "account_name",
                   "pickup_code", "status", "live", "failure_reason", "updated_at")
ENTITLEMENT_TYPE = Entitlement._meta.label_lower


def reference_for(cycle_id: int, entitlement_id: int, attempt: int) -> str:
    """A payment reference: "DK", cycle, entitlement, attempt, and two ISO 7064 mod 97-10 check digits.

    The check digits let reconciliation tell a mistyped reference from an unknown one.
    """
    body = f"{cycle_id:05d}{entitlement_id:08d}{attempt:02d}"
    return f"DK{body}{98 - int(body + '00') % 97:02d}"


def reference_checks(reference: str) -> bool:
    digits = reference[2:]
    return reference.startswith("DK") and digits.isdigit() and len(digits) >= 4 and int(digits) % 97 == 1


def _pickup_code() -> str:
    return "".join(secrets.choice(PICKUP_ALPHABET) for _ in range(8))


@dataclass
class BatchResult:
    batch: Batch
    without_account: int = 0


@transaction.atomic
def batch_create(*, actor, cycle: Cycle) -> BatchResult:
    """Send every entitlement waiting to be paid (first time or retry) in one new batch."""
    program, cycle = lock_cycle(cycle)
    require_cash(actor, program)
    if cycle.state not in (CycleState.APPROVED, CycleState.PAYING):
        raise DomainError("cycle_not_approved", MSG_NOT_APPROVED)
    institution = cycle.institution
    rows = list(Entitlement.objects.filter(cycle=cycle, state=EntitlementState.DUE).values_list(
        "pk", "household_id", "attempts", "amount").order_by("pk"))
    if not rows:
        raise DomainError("nothing_due", MSG_NOTHING_DUE)
    accounts: dict[int, tuple[str, str]] = {}
    without = 0
    if institution.kind == InstitutionKind.BANK:
        # The households' keys as one parameter: a join with the entitlements just generated (no planner
        # statistics yet) can make PostgreSQL rescan them once per account, for minutes.
        found = values_among(PayeeAccount.objects.filter(institution=institution), "household_id",
                             sorted({hid for _pk, hid, _a, _m in rows}),
                             ["household_id", "account_number", "account_name"])
        accounts.update((row["household_id"], (row["account_number"], row["account_name"])) for row in found)
        ready = [row for row in rows if row[1] in accounts]
        without = len(rows) - len(ready)
        if not ready:
            raise DomainError("no_accounts", MSG_ALL_WITHOUT_ACCOUNT, count=len(rows), institution=str(institution))
        rows = ready
    number = (Batch.objects.filter(cycle=cycle).aggregate(n=Max("number"))["n"] or 0) + 1
    total = sum(amount for *_rest, amount in rows)
    batch = Batch.objects.create(cycle=cycle, number=number, institution=institution, line_count=len(rows),
                                 total_amount=total, created_by=actor)
    inserter = Inserter(Payment, PAYMENT_COLUMNS)
    now = timezone.now()
    pickup = institution.kind != InstitutionKind.BANK
    sent = PaymentStatus.SENT.value
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        inserter.insert([
            [pk, batch.pk, attempts + 1, reference_for(cycle.pk, pk, attempts + 1), amount,
             *accounts.get(hid, ("", "")), _pickup_code() if pickup else "", sent, True, "", now]
            for pk, hid, attempts, amount in chunk
        ])
    # The entitlements that got a payment in this batch, by their ids in one array parameter (a join
    # on the payments just written has no planner statistics yet and can take minutes on PostgreSQL).
    changed = update_from_rows(
        Entitlement, [(row[0],) for row in rows], types=("bigint",),
        set_sql="state = %s, attempts = {t}.attempts + 1, updated_at = %s",
        set_params=[EntitlementState.SENT.value, connection.ops.adapt_datetimefield_value(now)],
        where_sql="{t}.state = %s", where_params=[EntitlementState.DUE.value])
    if changed != len(rows):
        raise RuntimeError(MSG_CHANGED_MEANWHILE)
    if cycle.state != CycleState.PAYING:
        cycle.state = CycleState.PAYING
        cycle.save(update_fields=["state"])
    # One event for the batch, not one per household: the payments (each linked to this batch and its
    # creator) show every household what was sent; the households' histories record the outcomes.
    audit_log(actor=actor, action="cash.batch.create", obj=cycle,
              changes={"batch": number, "lines": len(rows), "amount": total, "without_account": without})
    return BatchResult(batch=batch, without_account=without)


# --- Outcomes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paid:
    payment_id: int
    entitlement_id: int
    enrollment_id: int
    household_id: int
    amount: int
    paid_on: dt.date


@dataclass(frozen=True)
class Failed:
    payment_id: int
    entitlement_id: int
    household_id: int
    reason: str


def _now_param():
    return connection.ops.adapt_datetimefield_value(timezone.now())


def apply_paid(*, actor, program: Program, cycle: Cycle, items: list[Paid], upload: ResultUpload | None) -> int:
    """Mark sent payments paid and move their money to disbursed; call with program and cycle locked.

    Three set-based UPDATEs whatever the number of lines (each row with its own date and amount),
    each guarded by the state it leaves and checked by its row count.
    """
    if not items:
        return 0
    now = _now_param()
    upload_id = upload.pk if upload is not None else None
    changed = update_from_rows(
        Payment, [(i.payment_id, i.paid_on) for i in items], types=("bigint", "date"),
        set_sql="status = %s, paid_on = v.c1, result_id = %s, updated_at = %s",
        set_params=[PaymentStatus.PAID.value, upload_id, now], where_sql="{t}.status = %s",
        where_params=[PaymentStatus.SENT.value])
    changed_e = update_from_rows(
        Entitlement, [(i.entitlement_id, i.paid_on) for i in items], types=("bigint", "date"),
        set_sql="state = %s, paid_on = v.c1, updated_at = %s", set_params=[EntitlementState.PAID.value, now],
        where_sql="{t}.state = %s", where_params=[EntitlementState.SENT.value])
    # One entitlement per enrollment and cycle (a unique constraint), so each enrollment appears once.
    changed_n = update_from_rows(
        Enrollment, [(i.enrollment_id, i.amount) for i in items], types=("bigint", "bigint"),
        set_sql="disbursed_amount = {t}.disbursed_amount + v.c1")
    if not changed == changed_e == changed_n == len(items):
        raise RuntimeError(MSG_CHANGED_MEANWHILE)
    total = sum(item.amount for item in items)
    Program.objects.filter(pk=program.pk).update(budget_disbursed=F("budget_disbursed") + total)
    BudgetMovement.objects.create(program=program, kind=MovementKind.DISBURSE, amount=total,
                                  participants=len(items), actor=actor, note=f"cash cycle {cycle.pk}"[:200])
    Cycle.objects.filter(pk=cycle.pk).update(paid_count=F("paid_count") + len(items),
                                             paid_amount=F("paid_amount") + total)
    cycle.refresh_from_db(fields=["paid_count", "paid_amount"])
    bulk_audit(actor=actor, action="cash.paid", object_type=ENTITLEMENT_TYPE,
               rows=[(i.entitlement_id, i.household_id) for i in items], changes={"cycle": str(cycle)})
    return total


def apply_failed(*, actor, cycle: Cycle, items: list[Failed], upload: ResultUpload | None) -> None:
    """Mark sent payments failed; their entitlements wait for a decision (retry or cancel)."""
    if not items:
        return
    now = _now_param()
    changed = update_from_rows(
        Payment, [(i.payment_id, i.reason[:200]) for i in items], types=("bigint", "text"),
        set_sql="status = %s, live = %s, failure_reason = v.c1, result_id = %s, updated_at = %s",
        set_params=[PaymentStatus.FAILED.value, False, upload.pk if upload is not None else None, now],
        where_sql="{t}.status = %s", where_params=[PaymentStatus.SENT.value])
    changed_e = update_from_rows(
        Entitlement, [(i.entitlement_id,) for i in items], types=("bigint",),
        set_sql="state = %s, updated_at = %s", set_params=[EntitlementState.FAILED.value, now],
        where_sql="{t}.state = %s", where_params=[EntitlementState.SENT.value])
    if not changed == changed_e == len(items):
        raise RuntimeError(MSG_CHANGED_MEANWHILE)
    bulk_audit(actor=actor, action="cash.failed", object_type=ENTITLEMENT_TYPE,
               rows=[(i.entitlement_id, i.household_id) for i in items], changes={"cycle": str(cycle)})


def _selected(cycle: Cycle, states, ids) -> list[tuple[int, int, int, int]]:
    qs = Entitlement.objects.filter(cycle=cycle, state__in=states)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return list(qs.values_list("pk", "household_id", "enrollment_id", "amount").order_by("pk"))


@transaction.atomic
def entitlements_retry(*, actor, cycle: Cycle, ids=None) -> int:
    """Failed entitlements (all, or those in ``ids``) wait for the next batch again."""
    program, cycle = lock_cycle(cycle)
    require_cash(actor, program)
    rows = _selected(cycle, [EntitlementState.FAILED], ids)
    if not rows:
        raise DomainError("none_selected", MSG_NONE_SELECTED)
    for start in range(0, len(rows), BATCH):
        Entitlement.objects.filter(pk__in=[r[0] for r in rows[start:start + BATCH]],
                                   state=EntitlementState.FAILED).update(state=EntitlementState.DUE,
                                                                         updated_at=timezone.now())
    bulk_audit(actor=actor, action="cash.retry", object_type=ENTITLEMENT_TYPE,
               rows=[(pk, hid) for pk, hid, _e, _a in rows], changes={"cycle": str(cycle)})
    return len(rows)


@transaction.atomic
def entitlements_cancel(*, actor, cycle: Cycle, reason: str, ids=None) -> int:
    """Give up paying failed (or not yet sent) entitlements; their money returns to the program's budget."""
    program, cycle = lock_cycle(cycle)
    require_cash(actor, program)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", MSG_REASON_REQUIRED, field="reason")
    if cycle.state not in (CycleState.APPROVED, CycleState.PAYING):
        raise DomainError("cycle_state", _("Siklus berstatus “%(state)s”; tindakan ini tidak dapat dilakukan."),
                          state=cycle.get_state_display())
    rows = _selected(cycle, [EntitlementState.FAILED, EntitlementState.DUE], ids)
    if not rows:
        raise DomainError("none_selected", MSG_NONE_SELECTED)
    now = timezone.now()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        changed = Entitlement.objects.filter(
            pk__in=[r[0] for r in chunk], state__in=[EntitlementState.FAILED, EntitlementState.DUE],
        ).update(state=EntitlementState.CANCELLED, cancel_reason=reason[:200], updated_at=now)
        if changed != len(chunk):
            raise RuntimeError(MSG_CHANGED_MEANWHILE)
        add_to_enrollments(cycle, [r[2] for r in chunk], "committed_amount", "amount", sign=-1)
    total = sum(r[3] for r in rows)
    funding.budget_release(actor=actor, program=program, amount=total, seats=0,
                           note=f"cash cycle {cycle.pk}: {len(rows)} cancelled")
    Cycle.objects.filter(pk=cycle.pk).update(cancelled_count=F("cancelled_count") + len(rows),
                                             cancelled_amount=F("cancelled_amount") + total)
    cycle.refresh_from_db()
    bulk_audit(actor=actor, action="cash.cancel", object_type=ENTITLEMENT_TYPE,
               rows=[(pk, hid) for pk, hid, _e, _a in rows], changes={"cycle": str(cycle)}, reason=reason)
    close_if_done(cycle)
    return len(rows)


# --- Cash at the kelurahan office -----------------------------------------------------------------


def _lock_payment(payment: Payment) -> tuple[Program, Cycle, Payment]:
    cycle_id = Payment.objects.filter(pk=payment.pk).values_list("batch__cycle_id", flat=True).first()
    if cycle_id is None:
        raise NotFoundError()
    program, cycle = lock_cycle(cycle_id)
    payment = Payment.objects.select_for_update(of=("self",)).select_related(
        "entitlement", "batch__institution").get(pk=payment.pk)
    return program, cycle, payment


@transaction.atomic
def receipt_record(*, actor, payment: Payment, receiver_name: str, receiver_nik: str, identity_document: str,
                   identity_checked: bool, receiver_note: str = "") -> CashReceipt:
    """Cash handed over at the office: records who received it and marks the payment paid, once."""
    program, cycle, payment = _lock_payment(payment)
    require_cash(actor, program)
    if payment.batch.institution.kind != InstitutionKind.CASH_OFFICE:
        raise DomainError("not_cash_office", MSG_NOT_CASH_OFFICE)
    if payment.status == PaymentStatus.PAID:
        raise DomainError("already_received", MSG_ALREADY_RECEIVED, when=str(payment.paid_on))
    if payment.status != PaymentStatus.SENT:
        raise DomainError("not_sent", MSG_NOT_SENT, status=payment.get_status_display())
    name = (receiver_name or "").strip()
    nik = (receiver_nik or "").strip()
    if not name:
        raise DomainError("receiver_name", MSG_NAME, field="receiver_name")
    if len(name) > 120:
        raise DomainError("receiver_name", _("Paling banyak %(max)s karakter."), field="receiver_name", max=120)
    if not (nik.isdigit() and len(nik) == 16):
        raise DomainError("receiver_nik", MSG_NIK, field="receiver_nik")
    try:
        parse_nik(nik)  # sixteen digits are not yet a NIK: the region and the birth date must exist
    except DomainError as exc:
        raise DomainError("receiver_nik", exc.message, field="receiver_nik", **exc.params) from None
    if identity_document not in IdentityDocument.values:
        raise DomainError("identity_document", _("Pilihan tidak valid."), field="identity_document")
    if identity_checked is not True:
        raise DomainError("identity_checked", MSG_IDENTITY, field="identity_checked")
    now = timezone.now()
    receipt = CashReceipt.objects.create(
        payment=payment, receiver_name=name, receiver_nik=nik, receiver_note=(receiver_note or "").strip()[:200],
        identity_document=identity_document, identity_checked=True, handed_by=actor, received_at=now)
    entitlement = payment.entitlement
    apply_paid(actor=actor, program=program, cycle=cycle, upload=None, items=[Paid(
        payment.pk, entitlement.pk, entitlement.enrollment_id, entitlement.household_id, payment.amount,
        timezone.localdate())])
    close_if_done(cycle)
    return receipt


@transaction.atomic
def cash_office_unclaimed(*, actor, batch: Batch, reason: str) -> int:
    """End a cash hand-out: payments nobody came for become failed (then retry or cancel)."""
    program, cycle = lock_cycle(batch.cycle_id)
    require_cash(actor, program)
    batch = Batch.objects.select_related("institution").get(pk=batch.pk)
    if batch.institution.kind != InstitutionKind.CASH_OFFICE:
        raise DomainError("not_cash_office", MSG_NOT_CASH_OFFICE)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", MSG_REASON_REQUIRED, field="reason")
    rows = list(Payment.objects.filter(batch=batch, status=PaymentStatus.SENT).values_list(
        "pk", "entitlement_id", "entitlement__household_id"))
    if not rows:
        raise DomainError("none_selected", MSG_NONE_SELECTED)
    apply_failed(actor=actor, cycle=cycle, upload=None, items=[Failed(pk, eid, hid, reason) for pk, eid, hid in rows])
    return len(rows)
