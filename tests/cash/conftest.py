"""Cash fixtures: paying institutions, a cash program with active participants, and result files."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.programs.conftest import budget_consistent, enrol, households, make_program, program_data, source  # noqa: F401

BANK_COLUMNS = [{"key": "reference", "header": "NO_REF"}, {"key": "nik", "header": "NIK"},
                {"key": "name", "header": "NAMA"}, {"key": "account_number", "header": "REKENING"},
                {"key": "amount", "header": "NOMINAL"}]


@pytest.fixture
def bank(cast):
    from bansos.cash.services.setup import institution_create

    return institution_create(actor=cast["admin"], data={
        "name": "Bank DKI Cabang Kebon Jeruk", "kind": "bank", "columns": BANK_COLUMNS, "file_format": "csv",
        "csv_delimiter": ";",
    })


@pytest.fixture
def office(cast):
    from bansos.cash.services.setup import institution_create

    return institution_create(actor=cast["admin"], data={
        "name": "Kas Kelurahan Duri Kepa", "kind": "cash_office",
        "columns": ["reference", "nik", "name", "pickup_code", "amount"],
    })


@pytest.fixture
def cash_world(cast, make_program, enrol, households, bank):
    """``cash_world(n=3, amount=300_000, periods=3, institution=bank, accounts=True, **scheme)``.

    A running dinsos cash program with a flat monthly scheme, ``n`` active household participants
    (each with a bank account unless accounts=False). Returns (program, [enrollments]).
    """
    from bansos.cash.services.setup import payee_account_set, scheme_set

    def make(n: int = 3, *, amount: int = 300_000, periods: int = 3, institution=None, accounts: bool = True,
             budget: int | None = None, **scheme):
        institution = institution or bank
        program = make_program("dinsos", budget=budget if budget is not None else amount * periods * n,
                               benefit_amount=amount, benefit_periods=periods,
                               start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
        data = {"frequency": "monthly", "amount_rule": "flat", "flat_amount": amount, "institution": institution}
        data.update(scheme)
        scheme_set(actor=cast["officer"], program=program, data=data)
        enrollments = [enrol(program, h, "active") for h in households(n)]
        if accounts and institution.kind == "bank":
            for i, e in enumerate(enrollments):
                payee_account_set(actor=cast["admin"], household=e.household, institution=institution,
                                  account_number=f"1234500{i:03d}", account_name=f"Penerima {i}")
        program.refresh_from_db()
        return program, enrollments

    return make


def result_csv(lines: list[tuple], header=("NO_REF", "STATUS", "ALASAN", "TGL_BAYAR", "NOMINAL")) -> bytes:
    """A bank result file: lines of (reference, status, reason, date, amount)."""
    out = [";".join(header)]
    out += [";".join("" if v is None else str(v) for v in line) for line in lines]
    return ("\n".join(out) + "\n").encode("utf-8")
