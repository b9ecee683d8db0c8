"""Capital grants and loans: record (with a loan's schedule), disburse from the program's budget, repayments.

Money guarantees:
- a capital record never exceeds what the household's enrollment still has committed and not yet
  disbursed, less other capital recorded on it and not paid out yet (the enrollment row is locked, after
  the program row as every enrollment service does, so two records cannot both take the same money);
- disbursement goes through ``programs.services.funding.enrollment_disburse`` in the same transaction,
  which moves committed → disbursed on the program's budget and refuses beyond the commitment;
- ``CapitalSupport.repaid`` equals the sum of the loan's repayments not reversed, and the sum of its
  instalments' ``amount_paid``: every repayment locks the loan row first and fills the oldest unpaid
  instalment, a reversal re-fills the instalments from scratch.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, raise_if_errors
from bansos.core.formats import rupiah, tanggal
from bansos.programs.models import Enrollment, EnrollmentState, Program
from bansos.programs.services.funding import enrollment_disburse
from bansos.umkm.access import require_business, require_umkm_role
from bansos.umkm.arithmetic import MAX_INTEREST_BP, MAX_TERM_MONTHS, allocate, loan_schedule
from bansos.umkm.models import Business, CapitalSupport, Installment, Repayment, SupportKind
from bansos.umkm.services import is_date, is_int
from bansos.umkm.services.businesses import MSG_DATE, MSG_DATE_FUTURE, MSG_REQUIRED, _reason, require_open

CAPITAL_STATES = (EnrollmentState.APPROVED, EnrollmentState.ACTIVE)

MSG_NO_ENROLLMENT = _("Keluarga pemilik tidak sedang disetujui atau aktif di program %(program)s; modal tidak "
                      "dapat dicatat.")
MSG_AMOUNT_POSITIVE = _("Jumlah harus lebih dari Rp 0.")
MSG_OVER_COMMITMENT = _("Jumlah melebihi dana yang masih tersedia untuk keluarga ini di program: sisa %(left)s.")
MSG_TERM = _("Jangka waktu pinjaman 1 sampai %(max)s bulan.")
MSG_INTEREST = _("Bunga flat per tahun 0 sampai %(max)s basis poin (0-100 %%).")
MSG_FIRST_DUE = _("Angsuran pertama tidak boleh sebelum tanggal keputusan.")
MSG_ALREADY_DISBURSED = _("Bantuan modal ini sudah dicairkan pada %(date)s.")
MSG_DISBURSE_BEFORE_APPROVAL = _("Tanggal pencairan tidak boleh sebelum tanggal keputusan (%(date)s).")
MSG_ENROLLMENT_ENDED = _("Kepesertaan keluarga di program sudah tidak disetujui/aktif; modal tidak dapat dicairkan.")
MSG_NOT_LOAN = _("Hanya pinjaman yang memiliki angsuran.")
MSG_NOT_DISBURSED = _("Pinjaman belum dicairkan; pembayaran angsuran belum dapat dicatat.")
MSG_PAID_BEFORE_DISBURSAL = _("Tanggal bayar tidak boleh sebelum pinjaman dicairkan (%(date)s).")
MSG_OVERPAY = _("Jumlah melebihi sisa pinjaman: sisa %(left)s.")
MSG_PAID_OFF = _("Pinjaman ini sudah lunas.")
MSG_ALREADY_REVERSED = _("Pembayaran ini sudah dibatalkan.")


def capital_available(enrollment: Enrollment) -> int:
    """What the enrollment can still fund: committed − disbursed − capital recorded and not paid out yet."""
    pending = CapitalSupport.objects.filter(enrollment=enrollment, disbursed_on__isnull=True).aggregate(
        s=Sum("amount"))["s"] or 0
    return max(0, enrollment.committed_amount - enrollment.disbursed_amount - pending)


def capital_enrollment(business: Business, *, lock: bool = False) -> Enrollment | None:
    qs = Enrollment.objects.filter(program_id=business.program_id, household_id=business.household_id,
                                   resident__isnull=True, state__in=CAPITAL_STATES)
    if lock:
        qs = qs.select_for_update()
    return qs.order_by("-pk").first()


def _clean_capital(data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    kind = data.get("kind") or ""
    if kind not in SupportKind.values:
        errors.add("kind", MSG_REQUIRED)
    amount = data.get("amount")
    if not is_int(amount) or amount <= 0:
        errors.add("amount", MSG_AMOUNT_POSITIVE)
    approved = data.get("approved_on")
    if not is_date(approved):
        errors.add("approved_on", MSG_REQUIRED if approved is None else MSG_DATE)
    elif approved > timezone.localdate():
        errors.add("approved_on", MSG_DATE_FUTURE)
    clean = {"kind": kind, "amount": amount, "approved_on": approved,
             "note": (data.get("note") or "").strip()[:200], "interest_bp_year": 0, "term_months": None,
             "first_due_date": None}
    if kind == SupportKind.LOAN:
        term, bp, first = data.get("term_months"), data.get("interest_bp_year") or 0, data.get("first_due_date")
        if not is_int(term) or not 1 <= term <= MAX_TERM_MONTHS:
            errors.add("term_months", MSG_TERM, max=MAX_TERM_MONTHS)
        if not is_int(bp) or not 0 <= bp <= MAX_INTEREST_BP:
            errors.add("interest_bp_year", MSG_INTEREST, max=MAX_INTEREST_BP)
        if not is_date(first):
            errors.add("first_due_date", MSG_REQUIRED if first is None else MSG_DATE)
        elif is_date(approved) and first < approved:
            errors.add("first_due_date", MSG_FIRST_DUE)
        clean.update(interest_bp_year=bp, term_months=term, first_due_date=first)
    raise_if_errors(errors)
    return clean


@transaction.atomic
def capital_record(*, actor, business: Business, data: dict[str, Any]) -> CapitalSupport:
    """Record an approved grant or loan (a loan's instalment schedule is created here); not paid out yet."""
    require_umkm_role(actor)
    business = Business.objects.select_related("program").get(pk=business.pk)
    require_business(actor, business)
    require_open(business)
    clean = _clean_capital(data)
    Program.objects.select_for_update().filter(pk=business.program_id).values_list("pk").first()
    enrollment = capital_enrollment(business, lock=True)
    if enrollment is None:
        raise DomainError("enrollment_not_receiving", MSG_NO_ENROLLMENT, program=str(business.program))
    left = capital_available(enrollment)
    if clean["amount"] > left:
        raise DomainError("over_commitment", MSG_OVER_COMMITMENT, field="amount", left=rupiah(left))
    schedule = None
    if clean["kind"] == SupportKind.LOAN:
        schedule = loan_schedule(clean["amount"], clean["interest_bp_year"], clean["term_months"],
                                 clean["first_due_date"])
    capital = CapitalSupport.objects.create(business=business, enrollment=enrollment, created_by=actor,
                                            total_due=schedule.total_due if schedule else 0, **clean)
    if schedule is not None:
        Installment.objects.bulk_create([Installment(loan=capital, number=n, due_date=due, amount_due=amount)
                                         for n, due, amount in schedule.rows])
    changes = {"kind": clean["kind"], "amount": clean["amount"], "approved_on": clean["approved_on"]}
    if schedule is not None:
        changes.update(interest_bp_year=clean["interest_bp_year"], term_months=clean["term_months"],
                       first_due_date=clean["first_due_date"], interest=schedule.interest,
                       total_due=schedule.total_due)
    audit_log(actor=actor, action="umkm.capital.record", obj=capital, object_label=f"{business}: "
              f"{capital.get_kind_display()}", household_id=business.household_id, changes=changes,
              reason=clean["note"])
    return capital


def _locked_capital(capital: CapitalSupport) -> CapitalSupport:
    return CapitalSupport.objects.select_for_update().select_related("business__program").get(pk=capital.pk)


@transaction.atomic
def capital_disburse(*, actor, capital: CapitalSupport, disbursed_on: dt.date, note: str = "") -> CapitalSupport:
    """Pay out a recorded grant or loan: the program's budget moves committed → disbursed."""
    require_umkm_role(actor)
    capital = _locked_capital(capital)
    business = capital.business
    require_business(actor, business)
    require_open(business)
    if capital.disbursed_on is not None:
        raise DomainError("already_disbursed", MSG_ALREADY_DISBURSED, date=tanggal(capital.disbursed_on))
    if not is_date(disbursed_on):
        raise DomainError("date_invalid", MSG_DATE, field="disbursed_on")
    if disbursed_on > timezone.localdate():
        raise DomainError("date_future", MSG_DATE_FUTURE, field="disbursed_on")
    if disbursed_on < capital.approved_on:
        raise DomainError("disburse_before_approval", MSG_DISBURSE_BEFORE_APPROVAL, field="disbursed_on",
                          date=tanggal(capital.approved_on))
    enrollment = Enrollment.objects.get(pk=capital.enrollment_id)
    if enrollment.state not in CAPITAL_STATES:
        raise DomainError("enrollment_ended", MSG_ENROLLMENT_ENDED)
    note = (note or "").strip()[:200]
    enrollment_disburse(actor=actor, enrollment=enrollment, amount=capital.amount,
                        note=note or str(capital.get_kind_display()))
    capital.disbursed_on = disbursed_on
    capital.save(update_fields=["disbursed_on"])
    audit_log(actor=actor, action="umkm.capital.disburse", obj=capital,
              object_label=f"{business}: {capital.get_kind_display()}", household_id=business.household_id,
              changes={"amount": capital.amount, "disbursed_on": disbursed_on}, reason=note)
    return capital


# --- Repayments -------------------------------------------------------------------------------------


def _refill(loan: CapitalSupport, total: int) -> None:
    """Set the instalments' amount_paid to ``total`` spread oldest first (the loan row is locked)."""
    rows = list(Installment.objects.select_for_update().filter(loan=loan).order_by("number"))
    shares = allocate(total, [r.amount_due for r in rows])
    changed = []
    for row, share in zip(rows, shares):
        if row.amount_paid != share:
            row.amount_paid = share
            changed.append(row)
    Installment.objects.bulk_update(changed, ["amount_paid"])


@transaction.atomic
def repayment_record(*, actor, loan: CapitalSupport, paid_on: dt.date, amount: int, note: str = "") -> Repayment:
    """Record a loan repayment; it fills the oldest unpaid instalment first."""
    require_umkm_role(actor)
    loan = _locked_capital(loan)  # serialises repayments of one loan: the counters below stay exact
    business = loan.business
    require_business(actor, business)
    if loan.kind != SupportKind.LOAN:
        raise DomainError("not_loan", MSG_NOT_LOAN)
    if loan.disbursed_on is None:
        raise DomainError("not_disbursed", MSG_NOT_DISBURSED)
    errors = Errors()
    if not is_date(paid_on):
        errors.add("paid_on", MSG_REQUIRED if paid_on is None else MSG_DATE)
    elif paid_on > timezone.localdate():
        errors.add("paid_on", MSG_DATE_FUTURE)
    elif paid_on < loan.disbursed_on:
        errors.add("paid_on", MSG_PAID_BEFORE_DISBURSAL, date=tanggal(loan.disbursed_on))
    left = loan.total_due - loan.repaid
    if not is_int(amount) or amount <= 0:
        errors.add("amount", MSG_AMOUNT_POSITIVE)
    elif left <= 0:
        errors.add("amount", MSG_PAID_OFF)
    elif amount > left:
        errors.add("amount", MSG_OVERPAY, left=rupiah(left))
    raise_if_errors(errors)
    note = (note or "").strip()[:200]
    repayment = Repayment.objects.create(loan=loan, paid_on=paid_on, amount=amount, note=note, recorded_by=actor)
    _refill(loan, loan.repaid + amount)
    CapitalSupport.objects.filter(pk=loan.pk).update(repaid=F("repaid") + amount)
    audit_log(actor=actor, action="umkm.repayment.record", obj=repayment,
              object_label=f"{business}: {rupiah(amount)}", household_id=business.household_id,
              changes={"amount": amount, "paid_on": paid_on, "repaid": [loan.repaid, loan.repaid + amount]},
              reason=note)
    return repayment


@transaction.atomic
def repayment_reverse(*, actor, repayment: Repayment, reason: str) -> Repayment:
    """Reverse a mistaken repayment (kept, marked with the reason); the instalments are filled again."""
    require_umkm_role(actor)
    loan = _locked_capital(repayment.loan)
    business = loan.business
    require_business(actor, business)
    repayment = Repayment.objects.select_for_update().get(pk=repayment.pk)
    if repayment.reversed_at is not None:
        raise DomainError("already_reversed", MSG_ALREADY_REVERSED)
    reason = _reason(reason)
    repayment.reversed_at, repayment.reversed_by, repayment.reversed_reason = timezone.now(), actor, reason
    repayment.save(update_fields=["reversed_at", "reversed_by", "reversed_reason"])
    total = Repayment.objects.filter(loan=loan, reversed_at__isnull=True).aggregate(s=Sum("amount"))["s"] or 0
    _refill(loan, total)
    CapitalSupport.objects.filter(pk=loan.pk).update(repaid=total)
    audit_log(actor=actor, action="umkm.repayment.reverse", obj=repayment,
              object_label=f"{business}: {rupiah(repayment.amount)}", household_id=business.household_id,
              changes={"amount": repayment.amount, "paid_on": repayment.paid_on, "repaid": [loan.repaid, total]},
              reason=reason)
    return repayment
