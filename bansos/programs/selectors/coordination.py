"""Reads of the coordination page: who receives what across agencies, and the households behind it.

A household *receives* a program while one of its enrollments there is approved, active or
suspended (``RECEIVING_STATES``). Every figure counts households, never enrollments (a person
program may enrol two members of one family), and only households active in the registry: a family
that moved out or was dissolved is no longer part of the kelurahan's picture.

The figures are aggregates without personal data (evaluators and program officers see them); the
household lists behind concentration and exclusion are personal data (``COORDINATION_DETAIL``).

Speed: the page must stay under a second for 20 programs over 270,000 households on SQLite and
PostgreSQL (``python -m bench overlap``). Matrix, concentration and similar benefits come from one
scan of the partial index ``enrollment_receiving_idx`` (see ``receiving_sets``), exclusion from one
anti-join, and areas are counted per RT on the covering ``household_rt_status_idx`` and folded to
RW in Python (the RT table is tiny).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Subquery

from bansos.core.models import RT, RW
from bansos.programs.models import RECEIVING_STATES, Enrollment, Program
from bansos.registry.models import Household, HouseholdStatus, Relation, Resident, ResidentStatus
from bansos.welfare.models import HouseholdWelfare

RECEIVING = [str(state) for state in RECEIVING_STATES]
# Welfare deciles whose households should be reached by at least one program (the exclusion figure).
EXCLUSION_DECILES = (1, 3)
# Concentration buckets: 0, 1, 2, 3 and "4 or more" programs received.
MANY = 4
BUCKETS = tuple(range(MANY + 1))


@dataclass
class MatrixRow:
    program: Program
    cells: list[int]  # households receiving this program and the column's program (diagonal: this one)
    receiving: int  # the diagonal: households receiving this program


@dataclass
class AreaRow:
    rw: RW | None  # None for the kelurahan's total
    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    households: int = 0

    @property
    def receiving(self) -> int:
        return self.households - self.counts[0]

    @property
    def many_share(self) -> float | None:
        return round(100 * self.counts[MANY] / self.households, 1) if self.households else None


@dataclass
class ExclusionRow:
    rw: RW | None
    poor: int = 0  # active households in deciles 1-3
    excluded: int = 0  # of them, receiving no program at all

    @property
    def share(self) -> float | None:
        return round(100 * self.excluded / self.poor, 1) if self.poor else None


# --- the one pass over the receiving enrollments -----------------------------------------------------

# Each household's set of received programs is written as bit masks, one bit per program: bit
# ``id % 62`` of mask column ``id // 62`` (a column holds at most 2**62 - 1, inside a signed 64-bit
# SUM). Summing the bits of the distinct (household, program) pairs gives the set; grouping
# households by (RW, set) leaves a few thousand rows however many households there are. From those
# the matrix, the similar-benefit counts and the concentration follow in Python, so all three cost
# one scan of the receiving enrollments instead of a self-join, a second GROUP BY and a window sort.
BITS = 62


def _receiving_programs() -> list[Program]:
    """Programs that some household receives now, by kind then name (programs of one kind sit together)."""
    receiving = Enrollment.objects.filter(program_id=OuterRef("pk"), state__in=RECEIVING)
    return list(Program.objects.filter(Exists(receiving)).select_related("agency").order_by("kind", "name", "pk"))


def _sets_sql(blocks: list[int]) -> str:
    q = connection.ops.quote_name
    pid, hid = q("program_id"), q("household_id")
    # The states are the code's constants, never input. They are written into the SQL (not bound)
    # because SQLite's planner matches a partial index's WHERE against the literal query text only:
    # with parameters it would not use enrollment_receiving_idx and read the whole table instead.
    states = ", ".join(f"'{state}'" for state in RECEIVING)
    one = "CAST(1 AS BIGINT)"
    masks = [
        f"SUM(CASE WHEN p.{pid} / {BITS} = {block} THEN {one} << CAST(p.{pid} % {BITS} AS INTEGER) ELSE 0 END)"
        f" AS m{i}" for i, block in enumerate(blocks)
    ]
    columns = ", ".join(f"x.m{i}" for i in range(len(blocks)))
    pairs = (
        f"SELECT {hid}, {pid} FROM {q(Enrollment._meta.db_table)} WHERE {q('state')} IN ({states}) "
        f"GROUP BY {hid}, {pid}"
    )
    active = f"h.{q('status')} = '{HouseholdStatus.ACTIVE.value}'"
    if connection.vendor == "postgresql":
        # The household join before the per-household GROUP BY: PostgreSQL then merge- or hash-joins
        # the pairs with the household table instead of misestimating the grouped rows and probing
        # the household index 100,000 times.
        per_household = (
            f"SELECT p.{hid}, h.{q('rt_id')}, COUNT(*) AS n, {', '.join(masks)} FROM ({pairs}) p "
            f"JOIN {q(Household._meta.db_table)} h ON h.{q('id')} = p.{hid} WHERE {active} "
            f"GROUP BY p.{hid}, h.{q('rt_id')}"
        )
        return (
            f"SELECT t.{q('rw_id')}, x.n, {columns}, COUNT(*) FROM ({per_household}) x "
            f"JOIN {q(RT._meta.db_table)} t ON t.{q('id')} = x.{q('rt_id')} GROUP BY t.{q('rw_id')}, x.n, {columns}"
        )
    # SQLite: households grouped first (one streamed pass over the index, in household order), then
    # one primary-key look-up per receiving household; CROSS JOIN keeps that order (SQLite would
    # otherwise materialise the grouped rows first), and means the same as JOIN everywhere else.
    per_household = f"SELECT p.{hid}, COUNT(*) AS n, {', '.join(masks)} FROM ({pairs}) p GROUP BY p.{hid}"
    return (
        f"SELECT t.{q('rw_id')}, x.n, {columns}, COUNT(*) FROM ({per_household}) x "
        f"CROSS JOIN {q(Household._meta.db_table)} h CROSS JOIN {q(RT._meta.db_table)} t "
        f"WHERE h.{q('id')} = x.{hid} AND {active} AND t.{q('id')} = h.{q('rt_id')} "
        f"GROUP BY t.{q('rw_id')}, x.n, {columns}"
    )


@dataclass
class ReceivingSets:
    programs: list[Program]
    sets: dict[frozenset[int], int]  # set of program ids -> active households receiving exactly those
    by_rw: dict[int, list[int]]  # RW id -> households receiving 1, 2, 3, 4+ programs (index 0 unused)


def receiving_sets(programs: list[Program] | None = None) -> ReceivingSets:
    """Active households grouped by the exact set of programs they receive, per RW (one query)."""
    programs = _receiving_programs() if programs is None else programs
    sets: dict[frozenset[int], int] = {}
    by_rw: dict[int, list[int]] = {}
    if not programs:
        return ReceivingSets(programs=programs, sets=sets, by_rw=by_rw)
    blocks = sorted({p.pk // BITS for p in programs})
    decoded: dict[tuple, frozenset[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_sets_sql(blocks))
        for rw_id, n, *masks, count in cursor.fetchall():
            key = tuple(int(m) for m in masks)  # PostgreSQL's SUM of bigint is numeric
            members = decoded.get(key)
            if members is None:
                members = decoded[key] = frozenset(
                    block * BITS + bit for block, mask in zip(blocks, key, strict=True)
                    for bit in range(BITS) if mask >> bit & 1
                )
            sets[members] = sets.get(members, 0) + count
            by_rw.setdefault(rw_id, [0] * len(BUCKETS))[min(n, MANY)] += count
    return ReceivingSets(programs=programs, sets=sets, by_rw=by_rw)


def _rt_to_rw() -> dict[int, int]:
    return dict(RT.objects.order_by().values_list("pk", "rw_id"))


def _rws() -> list[RW]:
    return list(RW.objects.order_by("number"))


def _receiving_enrollment(household_ref):
    return Enrollment.objects.filter(household_id=household_ref, state__in=RECEIVING)


def active_households_by_rw(rt_to_rw: dict[int, int] | None = None) -> dict[int, int]:
    """Active households per RW: grouped by RT on the covering (rt, status) index, folded to RW here."""
    rt_to_rw = _rt_to_rw() if rt_to_rw is None else rt_to_rw
    out: dict[int, int] = {}
    rows = Household.objects.filter(status=HouseholdStatus.ACTIVE).values_list("rt_id").annotate(n=Count("pk"))
    for rt_id, n in rows.order_by():
        out[rt_to_rw[rt_id]] = out.get(rt_to_rw[rt_id], 0) + n
    return out


# --- (a) program x program ------------------------------------------------------------------------


def coordination_matrix(sets: ReceivingSets | None = None) -> dict:
    """Programs with receiving households, and how many households receive each pair of them."""
    sets = receiving_sets() if sets is None else sets
    pairs: dict[tuple[int, int], int] = {}
    for members, count in sets.sets.items():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i:]:
                pairs[a, b] = pairs.get((a, b), 0) + count
    programs = [p for p in sets.programs if pairs.get((p.pk, p.pk))]
    rows = []
    for i, program in enumerate(programs):
        cells = [pairs.get((min(program.pk, other.pk), max(program.pk, other.pk)), 0) for other in programs]
        rows.append(MatrixRow(program=program, cells=cells, receiving=cells[i]))
    by_id = {p.pk: p for p in programs}
    top = sorted(
        ((n, by_id[a], by_id[b]) for (a, b), n in pairs.items() if a != b),
        key=lambda item: (-item[0], item[1].name, item[2].name),
    )
    return {"programs": programs, "rows": rows,
            "top_pairs": [{"count": n, "a": a, "b": b} for n, a, b in top[:10]]}


# --- (b) concentration -----------------------------------------------------------------------------


def coordination_concentration(sets: ReceivingSets | None = None, *, rws: list[RW] | None = None,
                               active: dict[int, int] | None = None) -> dict:
    """Active households by number of programs received (0, 1, 2, 3, 4+), per RW and for the kelurahan."""
    sets = receiving_sets() if sets is None else sets
    rws = _rws() if rws is None else rws
    active = active_households_by_rw() if active is None else active
    rows = []
    total = AreaRow(rw=None)
    for rw in rws:
        row = AreaRow(rw=rw, households=active.get(rw.pk, 0))
        counts = sets.by_rw.get(rw.pk, [0] * len(BUCKETS))
        row.counts = [row.households - sum(counts[1:]), *counts[1:]]
        rows.append(row)
        total.households += row.households
        total.counts = [a + b for a, b in zip(total.counts, row.counts, strict=True)]
    return {"rows": rows, "total": total, "buckets": BUCKETS, "many": MANY}


# --- (c) exclusion --------------------------------------------------------------------------------


def coordination_exclusion(*, rt_to_rw: dict[int, int] | None = None, rws: list[RW] | None = None) -> dict:
    """Active households in welfare deciles 1-3, and those of them receiving no program at all, per RW."""
    rt_to_rw = _rt_to_rw() if rt_to_rw is None else rt_to_rw
    rws = _rws() if rws is None else rws
    low, high = EXCLUSION_DECILES
    q = connection.ops.quote_name
    hid = q("household_id")
    states = ", ".join(f"'{state}'" for state in RECEIVING)  # constants, as in _sets_sql
    # The poor households come from the small score table (an IN list: starting from the household
    # index, SQLite would look up every household's score), and a LEFT JOIN to the distinct receiving
    # households counts those without any program: PostgreSQL hash-joins it, where a NOT EXISTS per
    # household (a FILTER of the same count) became a correlated probe per poor household.
    sql = (
        f"SELECT h.{q('rt_id')}, COUNT(*), COUNT(*) - COUNT(r.{hid}) "
        f"FROM {q(Household._meta.db_table)} h "
        f"LEFT JOIN (SELECT DISTINCT {hid} FROM {q(Enrollment._meta.db_table)} WHERE {q('state')} IN ({states})) r "
        f"ON r.{hid} = h.{q('id')} "
        f"WHERE h.{q('status')} = '{HouseholdStatus.ACTIVE.value}' AND h.{q('id')} IN ("
        f"SELECT {hid} FROM {q(HouseholdWelfare._meta.db_table)} WHERE {q('decile')} >= {int(low)} "
        f"AND {q('decile')} <= {int(high)}) "
        f"GROUP BY h.{q('rt_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = cursor.fetchall()
    by_rw: dict[int, ExclusionRow] = {rw.pk: ExclusionRow(rw=rw) for rw in rws}
    total = ExclusionRow(rw=None)
    for rt_id, n_poor, n_excluded in counts:
        for row in (by_rw[rt_to_rw[rt_id]], total):
            row.poor += n_poor
            row.excluded += n_excluded
    return {"rows": list(by_rw.values()), "total": total, "deciles": EXCLUSION_DECILES,
            "scored": HouseholdWelfare.objects.exists()}


# --- (d) similar benefits from another agency ------------------------------------------------------


def coordination_similar(sets: ReceivingSets | None = None) -> list[dict]:
    """Per program: receiving households, and how many of them get the same kind of help from another agency."""
    sets = receiving_sets() if sets is None else sets
    by_id = {p.pk: p for p in sets.programs}
    receiving: dict[int, int] = {}
    similar: dict[int, int] = {}
    for members, count in sets.sets.items():
        for pk in members:
            program = by_id[pk]
            receiving[pk] = receiving.get(pk, 0) + count
            if any(by_id[o].kind == program.kind and by_id[o].agency_id != program.agency_id for o in members):
                similar[pk] = similar.get(pk, 0) + count
    rows = []
    for program in sets.programs:
        n = receiving.get(program.pk, 0)
        if not n:
            continue
        also = similar.get(program.pk, 0)
        rows.append({"program": program, "receiving": n, "similar": also, "share": round(100 * also / n, 1)})
    return rows


# --- the whole page ---------------------------------------------------------------------------------


def coordination_overview() -> dict:
    """Every figure of the coordination page (aggregates only), in a fixed number of queries."""
    rt_to_rw, rws = _rt_to_rw(), _rws()
    sets = receiving_sets()
    return {
        "matrix": coordination_matrix(sets),
        "concentration": coordination_concentration(sets, rws=rws, active=active_households_by_rw(rt_to_rw)),
        "exclusion": coordination_exclusion(rt_to_rw=rt_to_rw, rws=rws),
        "similar": coordination_similar(sets),
    }


# --- the households behind the figures (COORDINATION_DETAIL) ----------------------------------------


def _with_head(qs):
    head = Resident.objects.filter(household_id=OuterRef("pk"), relation=Relation.HEAD, status=ResidentStatus.ACTIVE)
    return qs.annotate(head_name=Subquery(head.values("full_name")[:1]))


def coordination_excluded_households(*, rw: RW | None = None):
    """Active households of deciles 1-3 (of ``rw``) receiving no program, poorest first."""
    low, high = EXCLUSION_DECILES
    # The poor households' ids as a subquery, as in coordination_exclusion (the page's count then
    # needs no join at all); the score table is joined only to sort one page.
    poor = HouseholdWelfare.objects.filter(decile__gte=low, decile__lte=high).values("household_id")
    qs = Household.objects.filter(status=HouseholdStatus.ACTIVE, pk__in=poor)
    if rw is not None:
        qs = qs.filter(rt__rw=rw)
    qs = qs.exclude(Exists(_receiving_enrollment(OuterRef("pk"))))
    qs = qs.select_related("rt__rw", "welfare")
    return _with_head(qs).order_by("welfare__score", "pk")


def coordination_many_households(*, rw: RW | None = None, minimum: int = MANY):
    """Active households (of ``rw``) receiving ``minimum`` or more programs, most programs first."""
    per_household = (Enrollment.objects.filter(state__in=RECEIVING).order_by().values("household_id")
                     .annotate(n=Count("program_id", distinct=True)))
    # The few households over the threshold first (one GROUP BY), then their count for the page's rows.
    many = per_household.filter(n__gte=minimum).values("household_id")
    programs = per_household.filter(household_id=OuterRef("pk")).values("n")
    qs = Household.objects.filter(status=HouseholdStatus.ACTIVE, pk__in=many).annotate(programs=Subquery(programs))
    if rw is not None:
        qs = qs.filter(rt__rw=rw)
    return _with_head(qs.select_related("rt__rw")).order_by("-programs", "pk")


def households_programs(households) -> dict[int, list[Program]]:
    """{household id: the programs it receives} for one page of households (one query)."""
    out: dict[int, list[Program]] = {}
    rows = (
        Enrollment.objects.filter(household_id__in=[h.pk for h in households], state__in=RECEIVING)
        .select_related("program__agency").order_by("program__kind", "program__name", "pk")
    )
    for enrollment in rows:
        programs = out.setdefault(enrollment.household_id, [])
        if enrollment.program not in programs:
            programs.append(enrollment.program)
    return out
