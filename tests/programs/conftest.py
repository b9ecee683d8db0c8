"""Programs fixtures: a funding source and a factory for programs owned by the cast's agencies."""

from __future__ import annotations

import datetime as dt

import pytest


def program_data(agency, **extra) -> dict:
    data = {
        "name": "Pelatihan Menjahit Perempuan Kepala Keluarga",
        "kind": "cash",
        "agency": agency,
        "description": "Bantuan untuk keluarga.",
        "target_groups": ["female_head"],
        "participant": "household",
        "benefit_kind": "money",
        "benefit_description": "Rp 300.000 per bulan",
        "benefit_amount": 300_000,
        "benefit_periods": 3,
        "start_date": dt.date(2026, 1, 1),
        "end_date": dt.date(2026, 12, 31),
        "capacity": None,
    }
    data.update(extra)
    return data


@pytest.fixture
def source(cast, agencies):
    from bansos.programs.services.funding import funding_source_create

    return funding_source_create(actor=cast["admin"], data={
        "name": "CSR Bank Contoh", "kind": "csr", "agency": None, "shared": True, "fiscal_year": 2026,
        "amount": 100_000_000,
    })


@pytest.fixture
def make_program(cast, agencies, source):
    """``make_program(agency_key="dinsos", budget=Rp, status="open", **fields)`` -> Program."""
    from bansos.programs.services.funding import funding_allocate
    from bansos.programs.services.programs import program_create, program_status_set

    def make(agency_key: str = "dinsos", *, budget: int = 0, status: str = "open", **extra):
        admin = cast["admin"]
        program = program_create(actor=admin, data=program_data(agencies[agency_key], **extra))
        if budget:
            funding_allocate(actor=admin, source=source, program=program, amount=budget)
        if status != "draft":
            program_status_set(actor=admin, program=program, status="open")
        if status in ("running", "closed"):
            program_status_set(actor=admin, program=program, status=status)
        program.refresh_from_db()
        return program

    return make
