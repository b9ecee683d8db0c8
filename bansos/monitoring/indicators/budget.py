"""Budget: allocated, committed and disbursed Rupiah, and cost per beneficiary, from dated budget movements.

Every change to a program's budget is a ``BudgetMovement`` row with its time, so past months are
reproduced exactly. Amounts are not about households (``households`` stays null, nothing to suppress),
except cost per beneficiary, whose denominator is a count of households.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Sum

from bansos.monitoring.indicators import Cell, Context, computation


def _movement_cells(ctx: Context, kinds: tuple[str, ...]) -> list[Cell]:
    from bansos.programs.models import BudgetMovement

    rows = (BudgetMovement.objects.filter(kind__in=kinds, created_at__lt=ctx.end)
            .values("program_id", agency=F("program__agency_id")).annotate(total=Sum("amount")).order_by())
    per_agency: dict[int, int] = defaultdict(int)
    cells = []
    total = 0
    for row in rows:
        amount = int(row["total"] or 0)
        total += amount
        per_agency[row["agency"]] += amount
        if ctx.wants("program"):
            cells.append(Cell("program", str(row["program_id"]), amount))
    if ctx.wants("agency"):
        cells += [Cell("agency", str(a), v) for a, v in sorted(per_agency.items())]
    return [Cell("total", "", total), *cells]


@computation("budget.allocated", backfill=True)
def allocated(ctx: Context) -> list[Cell]:
    from bansos.programs.models import Allocation

    cells = _movement_cells(ctx, ("allocate",))
    if ctx.wants("funding"):
        rows = (Allocation.objects.filter(created_at__lt=ctx.end).values("source_id")
                .annotate(total=Sum("amount")).order_by())
        cells += [Cell("funding", str(r["source_id"]), int(r["total"] or 0)) for r in rows]
    return cells


@computation("budget.committed", backfill=True)
def committed(ctx: Context) -> list[Cell]:
    return _movement_cells(ctx, ("commit", "release"))


@computation("budget.disbursed", backfill=True)
def disbursed(ctx: Context) -> list[Cell]:
    return _movement_cells(ctx, ("disburse",))


@computation("budget.cost_per_beneficiary", backfill=True)
def cost_per_beneficiary(ctx: Context) -> list[Cell]:
    """Disbursed Rupiah divided by the households that started receiving the program by ``as_of``."""
    from bansos.programs.models import Enrollment

    money = {(c.breakdown, c.key): c.numerator for c in _movement_cells(ctx, ("disburse",))}
    started = Enrollment.objects.filter(started_at__lt=ctx.end)
    rows = started.values("program_id", agency=F("program__agency_id")).annotate(
        n=Count("household_id", distinct=True)).order_by()
    cells = [Cell("total", "", money.get(("total", ""), 0), started.values("household_id").distinct().count())]
    cells[0].households = cells[0].denominator
    if ctx.wants("program"):
        for r in rows:
            key = str(r["program_id"])
            cells.append(Cell("program", key, money.get(("program", key), 0), r["n"], r["n"]))
    if ctx.wants("agency"):
        per_agency = (started.values(agency=F("program__agency_id"))
                      .annotate(n=Count("household_id", distinct=True)).order_by())
        for r in per_agency:
            key = str(r["agency"])
            cells.append(Cell("agency", key, money.get(("agency", key), 0), r["n"], r["n"]))
    return cells
