"""The whole-registry rescoring as one INSERT ... SELECT, run by the database.

The model's weights become CASE expressions over the household columns and over one GROUP BY of
the active members (read from ``resident_household_facts_idx`` alone); ROW_NUMBER ranks the result
and the deciles follow from the rank, as NTILE(10) would split them. Nothing crosses into Python
per household, which is what keeps 270,000 households to a few seconds on SQLite and on
PostgreSQL alike. The same rules are written in Python in ``features`` (single household,
explanations); a property test checks that both paths give the same scores, ranks and deciles.

Only portable SQL is used: CASE, aggregates with FILTER, LEFT JOIN, a MATERIALIZED CTE and
ROW_NUMBER (SQLite >= 3.35, PostgreSQL >= 12), and EXP() and FLOOR(), which Django registers on
SQLite connections when the SQLite build lacks math functions. Only the weight constants are
written per database (``weight_sql``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from bansos.welfare.features import ASSET_CODES, HOUSING_FIELDS, WORKING, YES, cutoffs


Weight = Callable[[float], tuple[str, list[Any]]]


def _typed(value: float) -> tuple[str, list[Any]]:
    # PostgreSQL reads a bare 0.12 as NUMERIC: every sum, the sort and EXP() would then run in
    # arbitrary precision (about three times the time of the whole rescoring).
    return "CAST(%s AS DOUBLE PRECISION)", [float(value)]


def _plain(value: float) -> tuple[str, list[Any]]:
    # SQLite binds a Python float as REAL already; a CAST would cost a tenth of the CASE sums.
    return "%s", [float(value)]


def weight_sql(connection) -> Weight:
    """How a weight constant is written for this database."""
    return _typed if connection.vendor == "postgresql" else _plain


def _equals(const: Weight, operand: str, cases: list[tuple[Any, float]]) -> tuple[str, list[Any]] | None:
    """``CASE operand WHEN v THEN w ... ELSE 0 END``: the operand is read once, not once per value."""
    cases = [(v, w) for v, w in cases if w]  # a value weighing 0 is the ELSE
    if not cases:
        return None
    sql, params = [f"CASE {operand}"], []
    for value, weight in cases:
        w_sql, w_params = const(weight)
        sql.append(f"WHEN %s THEN {w_sql}")
        params.extend([value, *w_params])
    zero, zero_params = const(0.0)
    sql.append(f"ELSE {zero} END")
    return " ".join(sql), [*params, *zero_params]


def _flag(const: Weight, condition: str, weight: float) -> tuple[str, list[Any]] | None:
    if not weight:
        return None
    w_sql, w_params = const(weight)
    zero, zero_params = const(0.0)
    return f"CASE WHEN {condition} THEN {w_sql} ELSE {zero} END", [*w_params, *zero_params]


def _band(const: Weight, operand: str, weights: dict[str, float], top: int) -> tuple[str, list[Any]] | None:
    """A count banded 0, 1, ..., ``top``+ (``features._band``): the explicit values, then the top band."""
    rest = weights.get(f"{top}+", 0.0)
    cases = [(n, weights.get(str(n), 0.0)) for n in range(top)]
    cases = [(n, w) for n, w in cases if w != rest]
    if not cases and not rest:
        return None
    if not cases:  # every band weighs the same: a CASE without WHEN is not SQL
        return const(rest)
    sql, params = [f"CASE {operand}"], []
    for value, weight in cases:
        w_sql, w_params = const(weight)
        sql.append(f"WHEN {int(value)} THEN {w_sql}")
        params.extend(w_params)
    r_sql, r_params = const(rest)
    sql.append(f"ELSE {r_sql} END")
    return " ".join(sql), [*params, *r_params]


def _searched(const: Weight, conditions: list[tuple[str, float]]) -> tuple[str, list[Any]] | None:
    if not any(w for _c, w in conditions):
        return None
    sql, params = ["CASE"], []
    for condition, weight in conditions:
        w_sql, w_params = const(weight)
        sql.append(f"WHEN {condition} THEN {w_sql}")
        params.extend(w_params)
    zero, zero_params = const(0.0)
    sql.append(f"ELSE {zero} END")
    return " ".join(sql), [*params, *zero_params]


def _attribute_terms(const: Weight, weights: dict[tuple[str, str], float]) -> list[tuple[str, list[Any]] | None]:
    """One CASE per attribute, giving the weight of the household's value (the rules of ``features``)."""
    by_attribute: dict[str, dict[str, float]] = {}
    for (attribute, value), weight in weights.items():
        by_attribute.setdefault(attribute, {})[value] = weight

    def of(attribute: str) -> dict[str, float]:
        return by_attribute.get(attribute, {})

    terms = []
    for field in HOUSING_FIELDS:
        # The VA column is an integer; its value codes are its digits.
        cast = int if field == "electricity_va" else str
        terms.append(_equals(const, f"h.{field}", [(cast(v), w) for v, w in of(field).items()]))
    for field in ASSET_CODES:
        terms.append(_flag(const, f"h.{field}", of(field).get(YES, 0.0)))
    # A household without active members has no row in p (LEFT JOIN): its counts are 0.
    size = "COALESCE(p.size, 0)"
    # 0 members: no size band (features.people_values gives "" for it).
    terms.append(_band(const, size, {"0": 0.0, **of("household_size")}, 6))
    area = "h.floor_area_m2"
    bands = of("floor_area_pp")
    terms.append(_searched(const, [
        (f"{area} IS NULL OR {area} = 0 OR {size} = 0", 0.0),
        (f"{area} < 8 * {size}", bands.get("lt8", 0.0)), (f"{area} < 15 * {size}", bands.get("8_15", 0.0)),
        (f"{area} < 30 * {size}", bands.get("15_30", 0.0)), ("1 = 1", bands.get("ge30", 0.0)),
    ]))
    for field, top in (("workers", 2), ("children", 3), ("elderly", 2)):
        terms.append(_band(const, f"COALESCE(p.{field}, 0)", of(field), top))
    terms.append(_flag(const, "p.disabled > 0", of("disability").get(YES, 0.0)))
    if _head_terms(const, weights):
        # No active head (no row summed): the head attributes are "not surveyed", weight 0.
        terms.append(("COALESCE(p.head_weight, 0)", []))
    return terms


def _head_terms(const: Weight, weights: dict[tuple[str, str], float]) -> list[tuple[str, list[Any]]]:
    """The head's attributes as CASEs over a resident row (summed over the one active head)."""
    def of(attribute: str) -> list[tuple[str, float]]:
        return [(v, w) for (a, v), w in weights.items() if a == attribute]

    terms = [
        _equals(const, "education", of("head_education")),
        _equals(const, "employment_status", of("head_work")),
        _flag(const, "sex = 'P'", dict(of("female_head")).get(YES, 0.0)),
    ]
    return [t for t in terms if t is not None]


def _sum(const: Weight, terms: list[tuple[str, list[Any]] | None]) -> tuple[str, list[Any]]:
    sums, sum_params = [], []
    for term in terms:
        if term is None:
            continue  # every value weighs 0: nothing to add
        sums.append(term[0])
        sum_params.extend(term[1])
    if not sums:
        return const(0.0)
    return " + ".join(sums), sum_params


def model_expressions(weights: dict[tuple[str, str], float], const: Weight = _typed) -> tuple[str, list[Any]]:
    """(SQL of the sum of the weights, params) for one model, over ``h`` and the members' ``p``."""
    return _sum(const, _attribute_terms(const, weights))


def _decile_sql(rank: str, total: str) -> str:
    """``features.decile_of`` in SQL: NTILE(10)'s split, from the rank and the count.

    Computed from ROW_NUMBER instead of a second window function: SQLite's NTILE buffers the
    whole ranking once more (about a third of a second for 270,000 households). Integer division
    in both databases; the second branch is never reached with fewer than ten households.
    """
    size = f"({total} / 10)"
    extra = f"({total} - 10 * {size})"  # the remainder, without "%", which the driver reads as a placeholder
    big = f"({extra} * ({size} + 1))"
    return (f"CASE WHEN {rank} <= {big} THEN ({rank} - 1) / ({size} + 1) + 1 "
            f"ELSE {extra} + ({rank} - {big} - 1) / {size} + 1 END")


def rescore_statement(*, connection, weights: dict[tuple[str, str], float], base_amount: int, model_id: int,
                      now: dt.datetime, today: dt.date) -> tuple[str, list[Any]]:
    """The INSERT ... SELECT that writes every active household's score, rank and decile."""
    from bansos.registry.models import Household, Resident
    from bansos.welfare.models import HouseholdWelfare

    q = connection.ops.quote_name
    const = weight_sql(connection)
    child_after, elderly_by = (connection.ops.adapt_datefield_value(d) for d in cutoffs(today))
    working = ", ".join(["%s"] * len(WORKING))
    # The active members in household order come from resident_household_facts_idx alone (it
    # holds every column read here), already grouped, on SQLite without touching the table.
    # The head's weights are summed while the members are grouped (one aggregate over the one
    # active head) rather than carried out as three text columns, each an aggregate of its own.
    head = _head_terms(const, weights)
    head_sql, head_params = _sum(const, head)
    people = (
        "SELECT household_id, COUNT(*) AS size, "
        "COUNT(*) FILTER (WHERE birth_date > %s) AS children, "
        "COUNT(*) FILTER (WHERE birth_date <= %s) AS elderly, "
        f"COUNT(*) FILTER (WHERE employment_status IN ({working})) AS workers, "
        "COUNT(*) FILTER (WHERE disability NOT IN ('none', '')) AS disabled"
        + (f", SUM({head_sql}) FILTER (WHERE relation = 'head') AS head_weight " if head else " ")
        + f"FROM {q(Resident._meta.db_table)} WHERE status = 'active' GROUP BY household_id"
    )
    people_params = [child_after, elderly_by, *WORKING, *(head_params if head else [])]
    score_sql, score_params = model_expressions(weights, const)
    base_sql, base_params = const(math.log(base_amount))
    # ``status || ''`` keeps SQLite off the partial "active KK" index: with it, SQLite reads the
    # households in KK order and fetches each row by id, several times slower than a scan.
    scored = (
        f"SELECT h.id AS id, {base_sql} + ({score_sql}) AS score "
        f"FROM {q(Household._meta.db_table)} h LEFT JOIN ({people}) p ON p.household_id = h.id "
        "WHERE h.status || '' = 'active'"
    )
    columns = ", ".join(q(c) for c in ("household_id", "model_id", "per_capita", "score", "decile", "rank",
                                       "computed_at"))
    # The scores are computed once into a MATERIALIZED table (SQLite >= 3.35, PostgreSQL >= 12):
    # otherwise SQLite inlines the subquery and evaluates the long CASE sums again for every window.
    # Poorest first; equal scores are ordered by household id so a rerun ranks identically. Rows
    # are inserted in id order so the primary-key index is appended to, not split at random.
    # FLOOR(x + 0.5) rounds half up as ``features.per_capita`` does (PostgreSQL's ROUND of a
    # double rounds half to even).
    sql = (
        f"WITH s AS MATERIALIZED ({scored}), n AS (SELECT COUNT(*) AS n FROM s) "
        f"INSERT INTO {q(HouseholdWelfare._meta.db_table)} ({columns}) "
        "SELECT r.id, %s, CAST(FLOOR(EXP(r.score) + 0.5) AS BIGINT), r.score, "
        f"{_decile_sql('r.rnk', 'n.n')}, r.rnk, %s FROM ("
        "SELECT s.id, s.score, ROW_NUMBER() OVER (ORDER BY s.score, s.id) AS rnk FROM s) r CROSS JOIN n "
        "ORDER BY r.id"
    )
    params = [*base_params, *score_params, *people_params, model_id, connection.ops.adapt_datetimefield_value(now)]
    return sql, params
