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


# --- Helpers for the services' tests ----------------------------------------------------------------

REASON = "Alasan uji: dikunjungi petugas"

# The services' path from "applied" to each state (every state is reachable this way).
PATHS = {
    "applied": [],
    "verified": ["verified"],
    "approved": ["verified", "approved"],
    "rejected": ["rejected"],
    "active": ["verified", "approved", "active"],
    "suspended": ["verified", "approved", "active", "suspended"],
    "graduated": ["verified", "approved", "active", "graduated"],
    "exited": ["verified", "approved", "active", "exited"],
}


@pytest.fixture
def enrol(cast):
    """``enrol(program, household, state="applied", actor=admin, resident=None)`` -> Enrollment in ``state``.

    Each step goes through the services with a reason, as an officer would.
    """
    from bansos.programs.services.enrollment import enrollment_apply, enrollment_transition

    def make(program, household, state: str = "applied", *, actor=None, resident=None, **apply):
        actor = actor or cast["admin"]
        enrollment = enrollment_apply(actor=actor, program=program, household=household, resident=resident,
                                      **apply)
        for step in PATHS[state]:
            enrollment = enrollment_transition(actor=actor, enrollment=enrollment, to=step, reason=REASON)
        return enrollment

    return make


HEADS = ["Ahmad", "Bambang", "Cahya", "Dedi", "Eko", "Fajar", "Gilang", "Hadi", "Irfan", "Joni", "Kurnia",
         "Lukman"]


@pytest.fixture
def households(cast, areas):
    """``households(n, rt="rt1")`` -> n new active households (each with a child under five)."""
    from tests.factories import make_household

    def make(n: int, rt: str = "rt1", **extra):
        return [make_household(actor=cast["admin"], rt=areas[rt], head_name=f"{HEADS[i % len(HEADS)]} Uji",
                               **extra) for i in range(n)]

    return make


def world() -> dict:
    """Everything the programs services write, to assert that a refusal changed nothing."""
    from bansos.core.models import AuditEvent
    from bansos.programs.models import (
        Allocation, BudgetMovement, Enrollment, FundingSource, OverlapPolicy, Program, Referral,
    )

    return {
        "programs": list(Program.objects.order_by("pk").values()),
        "enrollments": list(Enrollment.objects.order_by("pk").values()),
        "referrals": list(Referral.objects.order_by("pk").values()),
        "sources": list(FundingSource.objects.order_by("pk").values()),
        "allocations": Allocation.objects.count(),
        "movements": BudgetMovement.objects.count(),
        "policies": list(OverlapPolicy.objects.order_by("pk").values()),
        "events": AuditEvent.objects.count(),
    }


def budget_consistent(program) -> None:
    """The program's figures agree with its enrollments and its ledger, within the database's limits."""
    from django.db.models import Sum

    from bansos.programs.models import BudgetMovement, Enrollment, EnrollmentState, MovementKind

    program.refresh_from_db()
    enrollments = Enrollment.objects.filter(program=program)
    sums = enrollments.aggregate(c=Sum("committed_amount"), d=Sum("disbursed_amount"))
    assert program.budget_committed == (sums["c"] or 0)
    assert program.budget_disbursed == (sums["d"] or 0)
    assert 0 <= program.budget_disbursed <= program.budget_committed <= program.budget_allocated
    moves = BudgetMovement.objects.filter(program=program)
    ledger = dict(moves.values_list("kind").annotate(s=Sum("amount")))
    assert ledger.get(MovementKind.ALLOCATE, 0) == program.budget_allocated
    committed = ledger.get(MovementKind.COMMIT, 0) + ledger.get(MovementKind.RELEASE, 0)
    assert committed == program.budget_committed
    assert ledger.get(MovementKind.DISBURSE, 0) == program.budget_disbursed
    # A place is held from approval on, and kept by those who started (see Program.seats_taken).
    holding = enrollments.filter(state__in=(
        EnrollmentState.APPROVED, EnrollmentState.ACTIVE, EnrollmentState.SUSPENDED,
        EnrollmentState.GRADUATED,
    )).count() + enrollments.filter(state=EnrollmentState.EXITED, started_at__isnull=False).count()
    assert program.seats_taken == holding
    if program.capacity is not None:
        assert program.seats_taken <= program.capacity
