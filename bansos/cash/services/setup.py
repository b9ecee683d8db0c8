"""Paying institutions, a program's cash scheme, and households' payee accounts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, has_perm, require
from bansos.cash.access import require_cash
from bansos.cash.amounts import COMPONENTS
from bansos.cash.models import (
    AmountRule, CashScheme, Cycle, CycleState, Frequency, InstitutionKind, PayeeAccount, PaymentInstitution,
)
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, Errors, PermissionDeniedError, raise_if_errors
from bansos.programs.models import BenefitKind, Program, ProgramStatus

MSG_REQUIRED = _("Wajib diisi.")
MSG_TOO_LONG = _("Paling banyak %(max)s karakter.")
MSG_INVALID_CHOICE = _("Pilihan tidak valid.")
MSG_NAME_TAKEN = _("Nama lembaga bayar ini sudah dipakai.")
MSG_DELIMITER = _("Pemisah kolom CSV harus salah satu dari: koma, titik koma, tab, garis tegak.")
MSG_AMOUNT = _("Nilai harus bilangan bulat Rupiah, 0 atau lebih.")
MSG_FLAT_NEEDED = _("Isi nilai per peserta (lebih dari Rp 0).")
MSG_COMPONENT_NEEDED = _("Isi paling sedikit satu nilai komponen (lebih dari Rp 0).")
MSG_CAP = _("Batas per keluarga harus lebih dari Rp 0, atau kosongkan.")
MSG_NOT_CASH = _("Program ini tidak memberi uang; skema bantuan tunai hanya untuk program uang atau beasiswa.")
MSG_PROGRAM_CLOSED = _("Program sudah selesai; skemanya tidak dapat diubah.")
MSG_SCHEME_LOCKED = _(
    "Skema tidak dapat diubah selama ada siklus yang sedang dibuat atau menunggu persetujuan; "
    "setujui atau batalkan siklus itu dahulu."
)
MSG_INSTITUTION_INACTIVE = _("Lembaga bayar ini tidak aktif.")
MSG_ACCOUNT_NUMBER = _("Nomor rekening hanya angka (boleh dengan spasi atau tanda hubung), 5 sampai 34 digit.")
MSG_ACCOUNT_CASH_OFFICE = _("Pembayaran tunai di kantor kelurahan tidak memakai rekening.")

DELIMITERS = {",", ";", "\t", "|"}
INSTITUTION_FIELDS = ("name", "kind", "columns", "file_format", "csv_delimiter", "is_active")
SCHEME_FIELDS = ("frequency", "amount_rule", "flat_amount", *COMPONENTS, "household_cap", "institution")
CASH_BENEFITS = (BenefitKind.MONEY, BenefitKind.STIPEND)


def _text(errors: Errors, data: dict, name: str, limit: int, *, required: bool = True) -> str:
    value = (data.get(name) or "").strip()
    if required and not value:
        errors.add(name, MSG_REQUIRED)
    elif len(value) > limit:
        errors.add(name, MSG_TOO_LONG, max=limit)
    return value


def _money(errors: Errors, data: dict, name: str) -> int:
    value = data.get(name, 0)
    if value is None or value == "":
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors.add(name, MSG_AMOUNT)
        return 0
    return value


# --- Paying institutions --------------------------------------------------------------------------


def _clean_institution(data: dict[str, Any], *, instance: PaymentInstitution | None = None) -> dict[str, Any]:
    from bansos.cash.files import validate_columns

    errors = Errors()
    clean: dict[str, Any] = {"name": _text(errors, data, "name", 120)}
    if clean["name"] and PaymentInstitution.objects.filter(name__iexact=clean["name"]).exclude(
        pk=getattr(instance, "pk", None)
    ).exists():
        errors.add("name", MSG_NAME_TAKEN)
    kind = data.get("kind") or ""
    if kind not in InstitutionKind.values:
        errors.add("kind", MSG_REQUIRED if not kind else MSG_INVALID_CHOICE)
    clean["kind"] = kind
    try:
        clean["columns"] = validate_columns(data.get("columns") or [])
    except DomainError as exc:
        errors.add("columns", exc.text)
    file_format = data.get("file_format") or "csv"
    if file_format not in ("csv", "xlsx"):
        errors.add("file_format", MSG_INVALID_CHOICE)
    clean["file_format"] = file_format
    delimiter = data.get("csv_delimiter") or ","
    if delimiter not in DELIMITERS:
        errors.add("csv_delimiter", MSG_DELIMITER)
    clean["csv_delimiter"] = delimiter
    clean["is_active"] = bool(data.get("is_active", True))
    raise_if_errors(errors)
    return clean


@transaction.atomic
def institution_create(*, actor, data: dict[str, Any]) -> PaymentInstitution:
    require(actor, P.CASH_INSTITUTIONS)
    institution = PaymentInstitution.objects.create(**_clean_institution(data))
    audit_log(actor=actor, action="cash.institution.create", obj=institution,
              changes={k: [None, v] for k, v in snapshot(institution, INSTITUTION_FIELDS).items()})
    return institution


@transaction.atomic
def institution_update(*, actor, institution: PaymentInstitution, data: dict[str, Any]) -> PaymentInstitution:
    require(actor, P.CASH_INSTITUTIONS)
    institution = PaymentInstitution.objects.select_for_update().get(pk=institution.pk)
    before = snapshot(institution, INSTITUTION_FIELDS)
    for name, value in _clean_institution(data, instance=institution).items():
        setattr(institution, name, value)
    institution.save()
    changes = diff(before, snapshot(institution, INSTITUTION_FIELDS))
    if changes:
        audit_log(actor=actor, action="cash.institution.update", obj=institution, changes=changes)
    return institution


# --- A program's scheme ---------------------------------------------------------------------------


def _clean_scheme(data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {}
    frequency = data.get("frequency") or ""
    if frequency not in Frequency.values:
        errors.add("frequency", MSG_REQUIRED if not frequency else MSG_INVALID_CHOICE)
    clean["frequency"] = frequency
    rule = data.get("amount_rule") or ""
    if rule not in AmountRule.values:
        errors.add("amount_rule", MSG_REQUIRED if not rule else MSG_INVALID_CHOICE)
    clean["amount_rule"] = rule
    clean["flat_amount"] = _money(errors, data, "flat_amount")
    for code in COMPONENTS:
        clean[code] = _money(errors, data, code)
    cap = data.get("household_cap")
    if cap in (None, ""):
        clean["household_cap"] = None
    elif not isinstance(cap, int) or isinstance(cap, bool) or cap <= 0:
        errors.add("household_cap", MSG_CAP)
    else:
        clean["household_cap"] = cap
    if rule == AmountRule.FLAT and not clean["flat_amount"] and "flat_amount" not in errors:
        errors.add("flat_amount", MSG_FLAT_NEEDED)
    if rule == AmountRule.COMPONENTS and not any(clean[code] for code in COMPONENTS):
        errors.add("per_child_sd", MSG_COMPONENT_NEEDED)
    institution = data.get("institution")
    if not isinstance(institution, PaymentInstitution):
        errors.add("institution", MSG_REQUIRED)
    elif not institution.is_active:
        errors.add("institution", MSG_INSTITUTION_INACTIVE)
    clean["institution"] = institution
    raise_if_errors(errors)
    return clean


@transaction.atomic
def scheme_set(*, actor, program: Program, data: dict[str, Any]) -> CashScheme:
    """Create or change how a program pays. Cycles already generated keep their frozen amounts."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    require_cash(actor, program)
    if program.benefit_kind not in CASH_BENEFITS:
        raise DomainError("not_cash", MSG_NOT_CASH)
    if program.status == ProgramStatus.CLOSED:
        raise DomainError("program_closed", MSG_PROGRAM_CLOSED)
    if Cycle.objects.filter(program=program, state=CycleState.GENERATED).exists():
        raise DomainError("scheme_locked", MSG_SCHEME_LOCKED)
    clean = _clean_scheme(data)
    scheme = CashScheme.objects.filter(program=program).first()
    if scheme is None:
        scheme = CashScheme.objects.create(program=program, **clean)
        audit_log(actor=actor, action="cash.scheme.set", obj=program,
                  changes={k: [None, v] for k, v in snapshot(scheme, SCHEME_FIELDS).items()})
        return scheme
    before = snapshot(scheme, SCHEME_FIELDS)
    for name, value in clean.items():
        setattr(scheme, name, value)
    scheme.save()
    changes = diff(before, snapshot(scheme, SCHEME_FIELDS))
    if changes:
        audit_log(actor=actor, action="cash.scheme.set", obj=program, changes=changes)
    return scheme


# --- Payee accounts -------------------------------------------------------------------------------


def _account_number(value: str) -> str:
    digits = "".join(ch for ch in (value or "") if ch not in " -.")
    if not digits.isdigit() or not 5 <= len(digits) <= 34:
        raise DomainError("account_number", MSG_ACCOUNT_NUMBER, field="account_number")
    return digits


@transaction.atomic
def payee_account_set(*, actor, household, institution: PaymentInstitution, account_number: str,
                      account_name: str) -> PayeeAccount:
    """Record (or correct) the household's account at a paying institution."""
    if not has_perm(actor, P.HOUSEHOLD_CHANGE, household) and not _officer_of_household(actor, household):
        raise PermissionDeniedError()
    if institution.kind == InstitutionKind.CASH_OFFICE:
        raise DomainError("account_cash_office", MSG_ACCOUNT_CASH_OFFICE, field="institution")
    number = _account_number(account_number)
    errors = Errors()
    name = _text(errors, {"account_name": account_name}, "account_name", 120)
    raise_if_errors(errors)
    account = PayeeAccount.objects.select_for_update().filter(household=household, institution=institution).first()
    if account is None:
        account = PayeeAccount.objects.create(household=household, institution=institution, account_number=number,
                                              account_name=name, updated_by=actor)
        changes = {"institution": str(institution), "account_number": [None, number], "account_name": [None, name]}
    else:
        changes = diff({"account_number": account.account_number, "account_name": account.account_name},
                       {"account_number": number, "account_name": name})
        account.account_number, account.account_name, account.updated_by = number, name, actor
        account.save()
        changes = {"institution": str(institution), **changes} if changes else {}
    if changes:
        audit_log(actor=actor, action="cash.account.set", obj=account, household_id=household.pk, changes=changes)
    return account


def _officer_of_household(actor, household) -> bool:
    """Cash officers record accounts of households in their agency's cash programs."""
    from bansos.accounts.permissions import has_role_perm

    return has_role_perm(actor, P.CASH_MANAGE) and has_perm(actor, P.HOUSEHOLD_VIEW, household)
