"""Funding sources, allocations to programs, and the budget figures every approval moves.

The guarantee "nothing is committed beyond the remaining budget" is one conditional UPDATE on the
program row (``_commit``) plus CHECK constraints: concurrent approvals serialise on that row (a
PostgreSQL row lock, SQLite's single writer), and the loser's UPDATE matches no row.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, Role
from bansos.accounts.permissions import P, has_role_perm, require
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, Errors, PermissionDeniedError, raise_if_errors
from bansos.core.formats import rupiah
from bansos.programs.access import require_program
from bansos.programs.models import (
    Allocation, BudgetMovement, Enrollment, FundingKind, FundingSource, MovementKind, Program, ProgramStatus,
)

MSG_REQUIRED = _("Wajib diisi.")
MSG_TOO_LONG = _("Paling banyak %(max)s karakter.")
MSG_INVALID_CHOICE = _("Pilihan tidak valid.")
MSG_AMOUNT_POSITIVE = _("Jumlah harus lebih dari Rp 0.")
MSG_AMOUNT_NONZERO = _("Jumlah tidak boleh Rp 0.")
MSG_YEAR = _("Tahun anggaran tidak valid.")
MSG_AMOUNT_BELOW_ALLOCATED = _("Jumlah dana tidak boleh lebih kecil dari yang sudah dialokasikan (%(allocated)s).")
MSG_SOURCE_NOT_ENOUGH = _("Sisa sumber dana tidak cukup: tersedia %(available)s.")
MSG_SOURCE_NOT_SHARED = _("Sumber dana ini hanya untuk program lembaga pemberi dana.")
MSG_WITHDRAW_TOO_MUCH = _("Paling banyak %(max)s dapat ditarik dari program ini dari sumber ini.")
MSG_WITHDRAW_COMMITTED = _("Dana yang sudah menjadi komitmen peserta tidak dapat ditarik; sisa anggaran %(remaining)s.")
MSG_PROGRAM_CLOSED = _("Program yang sudah selesai tidak menerima alokasi.")
MSG_BUDGET_EXHAUSTED = _(
    "Anggaran program tidak cukup: sisa %(remaining)s, dibutuhkan %(needed)s. Tambahkan alokasi dana dahulu."
)
MSG_CAPACITY_FULL = _("Kuota program sudah penuh (%(capacity)s peserta).")
MSG_DISBURSE_TOO_MUCH = _("Penyaluran melebihi komitmen peserta: sisa komitmen %(left)s.")

SOURCE_FIELDS = ("name", "kind", "agency", "shared", "fiscal_year", "amount", "note")


def _clean_source(data: dict[str, Any], *, instance: FundingSource | None = None) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors.add("name", MSG_REQUIRED)
    elif len(name) > 150:
        errors.add("name", MSG_TOO_LONG, max=150)
    clean["name"] = name
    kind = data.get("kind") or ""
    if kind not in FundingKind.values:
        errors.add("kind", MSG_REQUIRED if not kind else MSG_INVALID_CHOICE)
    clean["kind"] = kind
    agency = data.get("agency")
    if agency is not None and not isinstance(agency, Agency):
        errors.add("agency", MSG_INVALID_CHOICE)
    clean["agency"] = agency
    clean["shared"] = bool(data.get("shared", True))
    year = data.get("fiscal_year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.add("fiscal_year", MSG_YEAR)
    clean["fiscal_year"] = year
    amount = data.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        errors.add("amount", MSG_AMOUNT_POSITIVE)
    elif instance is not None and amount < instance.allocated:
        errors.add("amount", MSG_AMOUNT_BELOW_ALLOCATED, allocated=rupiah(instance.allocated))
    clean["amount"] = amount
    clean["note"] = (data.get("note") or "").strip()
    raise_if_errors(errors)
    return clean


@transaction.atomic
def funding_source_create(*, actor, data: dict[str, Any]) -> FundingSource:
    require(actor, P.FUNDING_MANAGE)
    clean = _clean_source(data)
    source = FundingSource.objects.create(**clean, created_by=actor)
    audit_log(actor=actor, action="funding.create", obj=source,
              changes={k: [None, v] for k, v in snapshot(source, SOURCE_FIELDS).items() if v not in (None, "")})
    return source


@transaction.atomic
def funding_source_update(*, actor, source: FundingSource, data: dict[str, Any]) -> FundingSource:
    require(actor, P.FUNDING_MANAGE)
    source = FundingSource.objects.select_for_update().get(pk=source.pk)
    before = snapshot(source, SOURCE_FIELDS)
    for name, value in _clean_source(data, instance=source).items():
        setattr(source, name, value)
    source.save()
    changes = diff(before, snapshot(source, SOURCE_FIELDS))
    if changes:
        audit_log(actor=actor, action="funding.update", obj=source, changes=changes)
    return source


def source_usable_by(actor, source: FundingSource, program: Program) -> bool:
    """Admins allocate any source; officers their own agency's sources and shared ones."""
    if actor.role == Role.ADMIN:
        return True
    return source.shared or source.agency_id == program.agency_id


@transaction.atomic
def funding_allocate(*, actor, source: FundingSource, program: Program, amount: int, note: str = "") -> Allocation:
    """Move ``amount`` from ``source`` to ``program``'s budget; a negative amount takes money back."""
    if not has_role_perm(actor, P.PROGRAM_MANAGE):
        raise PermissionDeniedError()
    program = Program.objects.select_for_update().get(pk=program.pk)
    require_program(actor, P.PROGRAM_MANAGE, program)
    source = FundingSource.objects.select_for_update().get(pk=source.pk)
    if not source_usable_by(actor, source, program):
        raise DomainError("source_not_shared", MSG_SOURCE_NOT_SHARED, field="source")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
        raise DomainError("amount_invalid", MSG_AMOUNT_NONZERO, field="amount")
    if program.status == ProgramStatus.CLOSED and amount > 0:
        raise DomainError("program_closed", MSG_PROGRAM_CLOSED)
    note = (note or "").strip()[:200]
    if amount > 0 and amount > source.available:
        raise DomainError("source_not_enough", MSG_SOURCE_NOT_ENOUGH, field="amount",
                          available=rupiah(source.available))
    if amount < 0:
        from django.db.models import Sum

        given = Allocation.objects.filter(source=source, program=program).aggregate(s=Sum("amount"))["s"] or 0
        if -amount > given:
            raise DomainError("withdraw_too_much", MSG_WITHDRAW_TOO_MUCH, field="amount", max=rupiah(given))
        if -amount > program.budget_remaining:
            raise DomainError("withdraw_committed", MSG_WITHDRAW_COMMITTED, field="amount",
                              remaining=rupiah(program.budget_remaining))
    FundingSource.objects.filter(pk=source.pk).update(allocated=F("allocated") + amount)
    Program.objects.filter(pk=program.pk).update(budget_allocated=F("budget_allocated") + amount)
    allocation = Allocation.objects.create(source=source, program=program, amount=amount, note=note, actor=actor)
    BudgetMovement.objects.create(program=program, kind=MovementKind.ALLOCATE, amount=amount, actor=actor, note=note)
    audit_log(actor=actor, action="funding.allocate", obj=program,
              changes={"source": str(source), "amount": amount}, reason=note)
    return allocation


# --- Budget moves used by the enrollment workflow -----------------------------------------------


def budget_commit(*, actor, program: Program, amount: int, seats: int, note: str = "") -> None:
    """Reserve ``amount`` and ``seats`` places, or raise with the reason; call inside a transaction.

    The condition is in the UPDATE itself, so two concurrent approvals can never both pass it.
    """
    fits = Q(pk=program.pk, budget_committed__lte=F("budget_allocated") - amount) & (
        Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity") - seats)
    )
    try:
        with transaction.atomic():
            changed = Program.objects.filter(fits).update(
                budget_committed=F("budget_committed") + amount, seats_taken=F("seats_taken") + seats
            )
    except IntegrityError:  # the CHECK constraints: the same refusal, should a caller bypass the filter
        changed = 0
    if not changed:
        current = Program.objects.get(pk=program.pk)
        if current.capacity is not None and current.seats_taken + seats > current.capacity:
            raise DomainError("capacity_full", MSG_CAPACITY_FULL, capacity=current.capacity)
        raise DomainError("budget_exhausted", MSG_BUDGET_EXHAUSTED, remaining=rupiah(current.budget_remaining),
                          needed=rupiah(amount))
    BudgetMovement.objects.create(program=program, kind=MovementKind.COMMIT, amount=amount, participants=seats,
                                  actor=actor, note=note[:200])


# Apps that pay participants in instalments (cash cycles) keep part of an enrollment's commitment for
# payments already approved but not yet made. Each provider is called as provider(enrollment_id) and
# returns that amount; an enrollment that ends keeps it committed (it is paid, or released by the app).
_COMMITMENT_HOLDS: list = []


def register_commitment_hold(provider) -> None:
    if provider not in _COMMITMENT_HOLDS:
        _COMMITMENT_HOLDS.append(provider)


def commitment_held(enrollment_id: int) -> int:
    """Money of the enrollment's commitment that approved payments still need."""
    return sum(provider(enrollment_id) for provider in _COMMITMENT_HOLDS)


def budget_release(*, actor, program: Program, amount: int, seats: int, note: str = "") -> None:
    """Return a commitment no longer needed (and, when ``seats``, the places) to the program."""
    if not amount and not seats:
        return
    Program.objects.filter(pk=program.pk).update(
        budget_committed=F("budget_committed") - amount, seats_taken=F("seats_taken") - seats
    )
    BudgetMovement.objects.create(program=program, kind=MovementKind.RELEASE, amount=-amount, participants=seats,
                                  actor=actor, note=note[:200])


@transaction.atomic
def enrollment_disburse(*, actor, enrollment: Enrollment, amount: int, note: str = "") -> Enrollment:
    """Record money paid to a participant, within what was committed for them (used by payment apps)."""
    require_program(actor, P.ENROLLMENT_MANAGE, enrollment.program)
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise DomainError("amount_invalid", MSG_AMOUNT_POSITIVE, field="amount")
    # The program row first, as every enrollment service does (no lock-order deadlock).
    Program.objects.select_for_update().filter(pk=enrollment.program_id).values_list("pk").first()
    changed = Enrollment.objects.filter(
        pk=enrollment.pk, disbursed_amount__lte=F("committed_amount") - amount
    ).update(disbursed_amount=F("disbursed_amount") + amount)
    if not changed:
        current = Enrollment.objects.get(pk=enrollment.pk)
        raise DomainError("disburse_too_much", MSG_DISBURSE_TOO_MUCH, field="amount",
                          left=rupiah(current.committed_amount - current.disbursed_amount))
    Program.objects.filter(pk=enrollment.program_id).update(budget_disbursed=F("budget_disbursed") + amount)
    BudgetMovement.objects.create(program_id=enrollment.program_id, kind=MovementKind.DISBURSE, amount=amount,
                                  participants=1, actor=actor, note=(note or "")[:200])
    audit_log(actor=actor, action="budget.disburse", obj=enrollment, household_id=enrollment.household_id,
              changes={"amount": amount}, reason=note)
    enrollment.refresh_from_db()
    return enrollment
