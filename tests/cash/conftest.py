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


# --- Shared by the service-level tests (cycles, amounts, payments, reconciliation, concurrency) -------

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def admin2(cast):
    """A second kelurahan admin: the checker of a list the first admin generated."""
    from tests.conftest import _user

    return _user("admin_dua", "admin")


@pytest.fixture
def cash_cycle(cast, cash_world):
    """``cash_cycle(n=3, state="generated", period=MARCH, program=None, maker=officer, checker=admin, **world)``.

    A cycle of a cash_world program brought through the services to ``state`` (draft, generated,
    approved or paying: one batch sent). Returns (program, enrollments, cycle).
    """
    from bansos.cash.services.cycles import cycle_approve, cycle_create, cycle_generate
    from bansos.cash.services.payments import batch_create

    def make(n: int = 3, *, state: str = "generated", period: dt.date = MARCH, program=None, enrollments=None,
             maker=None, checker=None, **world):
        if program is None:
            program, enrollments = cash_world(n, **world)
        maker, checker = maker or cast["officer"], checker or cast["admin"]
        cycle = cycle_create(actor=maker, program=program, period_start=period)
        if state != "draft":
            cycle = cycle_generate(actor=maker, cycle=cycle)
        if state in ("approved", "paying"):
            cycle = cycle_approve(actor=checker, cycle=cycle)
        if state == "paying":
            batch_create(actor=maker, cycle=cycle)
            cycle.refresh_from_db()
        return program, enrollments, cycle

    return make


def cash_state() -> dict:
    """Every row the cash services write (and the programs' money), to assert a refusal changed nothing."""
    from bansos.cash.models import (
        Batch, CashReceipt, CashScheme, Cycle, Entitlement, PayeeAccount, Payment, PaymentInstitution, ResultProblem,
        ResultUpload,
    )
    from tests.programs.conftest import world

    return {
        **world(),
        "institutions": list(PaymentInstitution.objects.order_by("pk").values()),
        "schemes": list(CashScheme.objects.order_by("pk").values()),
        "accounts": list(PayeeAccount.objects.order_by("pk").values()),
        "cycles": list(Cycle.objects.order_by("pk").values()),
        "entitlements": list(Entitlement.objects.order_by("pk").values()),
        "batches": list(Batch.objects.order_by("pk").values()),
        "payments": list(Payment.objects.order_by("pk").values()),
        "uploads": list(ResultUpload.objects.order_by("pk").values()),
        "problems": ResultProblem.objects.count(),
        "receipts": list(CashReceipt.objects.order_by("pk").values()),
    }


def cycle_consistent(cycle) -> None:
    """The cycle's running totals agree with its entitlements and payments; paid money is disbursed."""
    from django.db.models import Count, Sum

    from bansos.cash.models import CycleState, Entitlement, EntitlementState, Payment, PaymentStatus

    cycle.refresh_from_db()
    rows = Entitlement.objects.filter(cycle=cycle)
    by_state = {state: (count, amount or 0) for state, count, amount in rows.values("state").annotate(
        c=Count("pk"), s=Sum("amount")).values_list("state", "c", "s")}
    total = rows.aggregate(c=Count("pk"), s=Sum("amount"))
    assert (cycle.planned_count, cycle.planned_amount) == (total["c"], total["s"] or 0)
    assert (cycle.paid_count, cycle.paid_amount) == by_state.get(EntitlementState.PAID, (0, 0))
    if cycle.state != CycleState.CANCELLED:  # a withdrawn cycle keeps its totals as they were approved
        assert (cycle.cancelled_count, cycle.cancelled_amount) == by_state.get(EntitlementState.CANCELLED, (0, 0))
    paid = Payment.objects.filter(batch__cycle=cycle, status=PaymentStatus.PAID)
    assert (paid.aggregate(s=Sum("amount"))["s"] or 0) == cycle.paid_amount
    assert paid.count() == cycle.paid_count
    assert cycle.topup_amount == (rows.aggregate(s=Sum("topup_amount"))["s"] or 0)
    # One live or paid payment per entitlement, and only for entitlements sent or paid.
    live = Payment.objects.filter(batch__cycle=cycle, status__in=(PaymentStatus.SENT, PaymentStatus.PAID))
    assert live.count() == by_state.get(EntitlementState.SENT, (0, 0))[0] + cycle.paid_count
    assert cycle.state != CycleState.CLOSED or not rows.exclude(
        state__in=(EntitlementState.PAID, EntitlementState.CANCELLED)).exists()


def refs(cycle) -> list[str]:
    from bansos.cash.models import Payment

    return list(Payment.objects.filter(batch__cycle=cycle).order_by("pk").values_list("reference", flat=True))


def upload(actor, cycle, lines: list[tuple], name: str = "hasil.csv", **kw):
    """Reconcile a bank result CSV of ``lines`` (reference, status, reason, date, amount) against ``cycle``."""
    import io

    from bansos.cash.services.reconcile import result_upload

    return result_upload(actor=actor, cycle=cycle, fileobj=io.BytesIO(result_csv(lines, **kw)), file_name=name)


@pytest.fixture
def family(cast, areas):
    """``family(*members, rt="rt1")`` -> a household of exactly these members (``tests.factories.person`` dicts)."""
    from bansos.registry.services import household_create
    from tests.factories import household_data

    def make(*members, rt: str = "rt1"):
        return household_create(actor=cast["admin"], data=household_data(areas[rt]), members=list(members),
                                reason="pendataan uji")

    return make


@pytest.fixture
def cash_program(cast, make_program, enrol, bank):
    """``cash_program(homes, *, people=None, amount=300_000, periods=3, budget=None, **scheme)`` -> (program, enrollments).

    A running dinsos cash program (a person program when ``people`` names one resident per home) whose
    scheme is ``scheme`` (default: flat monthly ``amount``), paid by the bank; every home enrolled active.
    """
    from bansos.cash.services.setup import scheme_set

    def make(homes, *, people=None, amount: int = 300_000, periods: int = 3, budget: int | None = None,
             institution=None, **scheme):
        extra = {"participant": "resident"} if people is not None else {}
        program = make_program("dinsos", budget=budget if budget is not None else amount * periods * len(homes),
                               benefit_amount=amount, benefit_periods=periods, **extra)
        data = {"frequency": "monthly", "amount_rule": "flat", "flat_amount": amount,
                "institution": institution or bank}
        data.update(scheme)
        scheme_set(actor=cast["officer"], program=program, data=data)
        enrollments = [enrol(program, home, "active", resident=people[i] if people is not None else None)
                       for i, home in enumerate(homes)]
        program.refresh_from_db()
        return program, enrollments

    return make


def refused(code: str, call, *args, **kwargs):
    """Call a service that must refuse with ``code`` and change nothing; returns the error."""
    from bansos.core.errors import DomainError

    before = cash_state()
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert cash_state() == before
    return caught.value
