"""Shared aggregate helpers: one grouped query per indicator, rolled up to every breakdown in Python.

Household-level breakdowns (RW, decile, female-headed household) partition households, so a query
grouped by all three at once (at most 30 x 11 x 2 rows) adds up exactly to each of them and to the
total, distinct households included. Person-level breakdowns (sex, age group) split a household
over several cells, so each gets its own grouped query with its own distinct-household count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from bansos.monitoring.indicators import Cell, Context
from bansos.registry.models import Resident
from bansos.registry.models.choices import Relation, ResidentStatus, Sex

HOUSEHOLD_DIMS = ("rw", "decile", "female_head")
AGE_GROUPS = ((0, 4), (5, 6), (7, 12), (13, 15), (16, 18), (19, 30), (31, 59), (60, None))


def age_group_label(lo: int, hi: int | None) -> str:
    return f"{lo}+" if hi is None else f"{lo}-{hi}"


AGE_GROUP_KEYS = tuple(age_group_label(lo, hi) for lo, hi in AGE_GROUPS)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_group_expr(birth_field: str, on: dt.date) -> Case:
    """The age-group key of a birth date on ``on`` (older than the last bound: the open group)."""
    whens = []
    for lo, hi in reversed(AGE_GROUPS):
        whens.append(When(**{f"{birth_field}__lte": years_before(on, lo)}, then=Value(age_group_label(lo, hi))))
    return Case(*whens, default=Value(""))


def household_in(rows: QuerySet, field: str = "household_id"):
    """A condition on Household: its pk appears in ``rows.<field>``.

    ``pk IN (subquery)`` on SQLite, which builds the set once and probes it (a correlated EXISTS searches
    the rows of each of 290,000 households in turn: ~10 s for announcement reach at 1M). ``EXISTS`` on
    PostgreSQL: an ``IN`` inside CASE or OR becomes a subplan, hashed only when the planner thinks it fits
    in work_mem, else re-run for every household (minutes at 1M); EXISTS probes an index. The same split
    as ``bansos.eligibility.sql``; both paths run in the tests of both databases.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        return Q(pk__in=rows.values(field))
    return Exists(rows.filter(**{field: OuterRef("pk")}))


def female_head_expr(household_ref: str) -> Exists:
    return Exists(Resident.objects.filter(household_id=OuterRef(household_ref), status=ResidentStatus.ACTIVE,
                                          relation=Relation.HEAD, sex=Sex.FEMALE))


def _key(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _hit_sum(hit) -> Sum:
    return Coalesce(Sum(Case(When(hit, then=Value(1)), default=Value(0), output_field=IntegerField())), 0)


def _rollup(rows, dims: tuple[str, ...], wanted: tuple[str, ...]) -> list[Cell]:
    totals = [0, 0, 0]
    groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        num, den, hh = int(row["num"] or 0), int(row["den"] or 0), int(row["hh"] or 0)
        totals[0] += num
        totals[1] += den
        totals[2] += hh
        for dim in dims:
            if dim in wanted:
                cell = groups[(dim, _key(row[dim]))]
                cell[0] += num
                cell[1] += den
                cell[2] += hh
    cells = [Cell("total", "", totals[0], totals[1], totals[2])]
    cells += [Cell(dim, key, v[0], v[1], v[2]) for (dim, key), v in sorted(groups.items())]
    return cells


def household_share(ctx: Context, *, population: QuerySet, hit) -> list[Cell]:
    """Households of ``population`` (a Household queryset) for which ``hit`` holds, per breakdown.

    ``hit`` is a Q or a boolean expression (Exists) on Household. One query for the total, RW,
    decile and female-headed cells; one more when the program or agency breakdown is wanted.
    """
    qs = population.annotate(rw=F("rt__rw__number"), decile=F("welfare__decile"))
    dims = ["rw", "decile"]
    if ctx.wants("female_head"):
        qs = qs.annotate(female_head=female_head_expr("pk"))
        dims.append("female_head")
    rows = qs.values(*dims).annotate(num=_hit_sum(hit), den=Count("pk"), hh=Count("pk")).order_by()
    cells = _rollup(rows, tuple(dims), ctx.breakdowns)
    for dim in ("program", "agency"):
        if ctx.wants(dim):
            cells += enrolled_cells(ctx, dim, population=population, hit=hit, household_path="")
    return cells


def resident_share(ctx: Context, *, population: QuerySet, hit, household_path: str = "household__",
                   person_path: str = "") -> list[Cell]:
    """Units of ``population`` for which ``hit`` holds, per breakdown, counted with distinct households.

    The units are residents by default; any model with a household and a person works (a business
    and its owner: ``person_path="owner__"``, a pregnancy and its mother: ``person_path="mother__"``).
    """
    hh_id = f"{household_path}id"
    qs = population.annotate(rw=F(f"{household_path}rt__rw__number"), decile=F(f"{household_path}welfare__decile"))
    dims = ["rw", "decile"]
    if ctx.wants("female_head"):
        qs = qs.annotate(female_head=female_head_expr(hh_id))
        dims.append("female_head")
    agg = {"num": _hit_sum(hit), "den": Count("pk"), "hh": Count(hh_id, distinct=True)}
    rows = qs.values(*dims).annotate(**agg).order_by()
    cells = _rollup(rows, tuple(dims), ctx.breakdowns)
    if ctx.wants("sex"):
        rows = population.annotate(sex_key=F(f"{person_path}sex")).values("sex_key").annotate(**agg).order_by()
        cells += [Cell("sex", _key(r["sex_key"]), int(r["num"]), int(r["den"]), int(r["hh"])) for r in rows]
    if ctx.wants("age_group"):
        rows = (population.annotate(age_group=age_group_expr(f"{person_path}birth_date", ctx.as_of))
                .values("age_group").annotate(**agg).order_by())
        cells += [Cell("age_group", _key(r["age_group"]), int(r["num"]), int(r["den"]), int(r["hh"])) for r in rows]
    for dim in ("program", "agency"):
        if ctx.wants(dim):
            cells += enrolled_cells(ctx, dim, population=population, hit=hit, household_path=household_path)
    return cells


def active_households(ctx: Context) -> QuerySet:
    """Today's active households.

    The registry keeps no dated membership history (imported and seeded households carry the import
    time, moves are not dated), so a back-filled month counts today's households as its population;
    the numerators come from dated records.
    """
    from bansos.registry.models import Household
    from bansos.registry.models.choices import HouseholdStatus

    return Household.objects.filter(status=HouseholdStatus.ACTIVE)


def active_residents(ctx: Context) -> QuerySet:
    """Today's active residents of active households (see ``active_households``)."""
    return Resident.objects.filter(status=ResidentStatus.ACTIVE, household__status="active")


def enrolled_cells(ctx: Context, dim: str, *, population: QuerySet, hit, household_path: str) -> list[Cell]:
    """Cells per program (or agency) of the units whose household was enrolled in it by ``as_of``.

    A unit counts once per program even when its household has several enrollments there.
    """
    from bansos.programs.models import EnrollmentState

    path = f"{household_path}enrollments"
    live = Q(**{f"{path}__applied_at__lt": ctx.end}) & ~Q(**{f"{path}__state__in": [
        EnrollmentState.APPLIED, EnrollmentState.VERIFIED, EnrollmentState.REJECTED]})
    field = f"{path}__program_id" if dim == "program" else f"{path}__program__agency_id"
    hh = f"{household_path}id" if household_path else "pk"
    rows = (population.filter(live).values(k=F(field))
            .annotate(num=Count("pk", distinct=True, filter=Q(hit)), den=Count("pk", distinct=True),
                      hh=Count(hh, distinct=True)).order_by())
    return [Cell(dim, _key(r["k"]), int(r["num"]), int(r["den"]), int(r["hh"])) for r in rows]


def household_rate(ctx: Context, *, population: QuerySet, events: list[QuerySet], household_path: str) -> list[Cell]:
    """Events (forum posts, ...) of the households of ``population`` per household, per breakdown.

    ``events`` are querysets of models reaching a household through ``household_path`` (ending in
    ``__``; threads and replies); the numerator is their rows whose household is in ``population``, the
    denominator (and the households behind the cell) the population itself, grouped by the same
    household dimensions. One grouped query for the population and one per event queryset.
    """
    dims = ["rw", "decile"]
    if ctx.wants("female_head"):
        dims.append("female_head")
    pop = population.annotate(rw=F("rt__rw__number"), decile=F("welfare__decile"))
    if "female_head" in dims:
        pop = pop.annotate(female_head=female_head_expr("pk"))
    merged: dict[tuple, dict[str, int]] = {}
    for row in pop.values(*dims).annotate(n=Count("pk")).order_by():
        merged[tuple(row[d] for d in dims)] = {**{d: row[d] for d in dims}, "num": 0, "den": row["n"], "hh": row["n"]}
    for queryset in events:
        ev = (queryset.filter(**{f"{household_path}id__in": population.values("pk")})
              .annotate(rw=F(f"{household_path}rt__rw__number"), decile=F(f"{household_path}welfare__decile")))
        if "female_head" in dims:
            ev = ev.annotate(female_head=female_head_expr(f"{household_path}id"))
        for row in ev.values(*dims).annotate(n=Count("pk")).order_by():
            key = tuple(row[d] for d in dims)
            if key in merged:
                merged[key]["num"] += row["n"]
    return _rollup(merged.values(), tuple(dims), ctx.breakdowns)
