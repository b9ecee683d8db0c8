"""The whole-registry rescoring as one INSERT ... SELECT, run by the database.

The model's weights become CASE expressions over the household columns and over one GROUP BY of
the members; NTILE/ROW_NUMBER window functions rank the result into deciles. Nothing crosses into
Python per household, which is what keeps 270,000 households to a few seconds on SQLite and on
PostgreSQL alike. The same rules are written in Python in ``features`` (single household,
explanations); tests check that both paths give the same score.

Only portable SQL is used: CASE, aggregates with FILTER, LEFT JOIN, a MATERIALIZED CTE, NTILE and
ROW_NUMBER (SQLite >= 3.35, PostgreSQL >= 12), and EXP(), which Django registers on SQLite
connections when the SQLite build lacks math functions.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from bansos.welfare.features import ASSET_CODES, HOUSING_FIELDS, WORKING, YES, cutoffs


def _case(conditions: list[tuple[str, list[Any], float]], default: float) -> tuple[str, list[Any]]:
    if not conditions:
        return repr(float(default)), []
    sql, params = ["CASE"], []
    for condition, cond_params, value in conditions:
        sql.append(f"WHEN {condition} THEN %s")
        params.extend([*cond_params, float(value)])
    sql.append("ELSE %s END")
    params.append(float(default))
    return " ".join(sql), params


def _attribute_conditions(weights: dict[tuple[str, str], float]) -> dict[str, list[tuple[str, list[Any], str]]]:
    """For each attribute: (SQL condition, params, value code) per value, in the order to test them."""
    out: dict[str, list[tuple[str, list[Any], str]]] = {}
    for field in HOUSING_FIELDS:
        values = [v for (a, v) in weights if a == field]
        if field == "electricity_va":
            out[field] = [(f"h.{field} = %s", [int(v)], v) for v in values]
        else:
            out[field] = [(f"h.{field} = %s", [v], v) for v in values]
    for field in ASSET_CODES:
        out[field] = [(f"h.{field}", [], YES)]
    size = "COALESCE(p.size, 0)"
    out["household_size"] = [(f"{size} >= 6", [], "6+"), *((f"{size} = {n}", [], str(n)) for n in range(1, 6))]
    area = "h.floor_area_m2"
    out["floor_area_pp"] = [
        (f"{area} IS NULL OR {area} = 0 OR {size} = 0", [], ""),
        (f"{area} < 8 * {size}", [], "lt8"), (f"{area} < 15 * {size}", [], "8_15"),
        (f"{area} < 30 * {size}", [], "15_30"), ("1 = 1", [], "ge30"),
    ]
    for field in ("head_education", "head_work"):
        out[field] = [(f"p.{field} = %s", [v], v) for (a, v) in weights if a == field]
    for field, top in (("workers", 2), ("children", 3), ("elderly", 2)):
        column = f"COALESCE(p.{field}, 0)"
        out[field] = [(f"{column} >= {top}", [], f"{top}+"),
                      *((f"{column} = {n}", [], str(n)) for n in range(top - 1, -1, -1))]
    out["disability"] = [("COALESCE(p.disabled, 0) > 0", [], YES)]
    out["female_head"] = [("p.head_sex = 'P'", [], YES)]
    return out


def model_expressions(weights: dict[tuple[str, str], float]) -> tuple[str, list[Any]]:
    """(SQL of the sum of the weights, params) for one model."""
    sums, sum_params = [], []
    for attribute, conditions in _attribute_conditions(weights).items():
        rows = [(c, p, weights.get((attribute, v), 0.0)) for c, p, v in conditions]
        if not any(w for _c, _p, w in rows):
            continue  # every value weighs 0: nothing to add
        sql, params = _case(rows, 0.0)
        sums.append(sql)
        sum_params.extend(params)
    return (" + ".join(sums) or "0"), sum_params


def rescore_statement(*, connection, weights: dict[tuple[str, str], float], base_amount: int, model_id: int,
                      now: dt.datetime, today: dt.date) -> tuple[str, list[Any]]:
    """The INSERT ... SELECT that writes every active household's score, rank and decile."""
    from bansos.registry.models import Household, Resident
    from bansos.welfare.models import HouseholdWelfare

    q = connection.ops.quote_name
    child_after, elderly_by = (connection.ops.adapt_datefield_value(d) for d in cutoffs(today))
    working = ", ".join(["%s"] * len(WORKING))
    # "Active" sits inside each aggregate instead of a WHERE: with the WHERE, SQLite walks the
    # partial "active NIK" index and fetches each row by id, several times slower than a scan.
    people = (
        "SELECT household_id, "
        "COUNT(*) FILTER (WHERE status = 'active') AS size, "
        "COUNT(*) FILTER (WHERE status = 'active' AND birth_date > %s) AS children, "
        "COUNT(*) FILTER (WHERE status = 'active' AND birth_date <= %s) AS elderly, "
        f"COUNT(*) FILTER (WHERE status = 'active' AND employment_status IN ({working})) AS workers, "
        "COUNT(*) FILTER (WHERE status = 'active' AND disability NOT IN ('none', '')) AS disabled, "
        "MAX(education) FILTER (WHERE status = 'active' AND relation = 'head') AS head_education, "
        "MAX(employment_status) FILTER (WHERE status = 'active' AND relation = 'head') AS head_work, "
        "MAX(sex) FILTER (WHERE status = 'active' AND relation = 'head') AS head_sex "
        f"FROM {q(Resident._meta.db_table)} GROUP BY household_id"
    )
    people_params = [child_after, elderly_by, *WORKING]
    score_sql, score_params = model_expressions(weights)
    # ``status || ''`` keeps SQLite off the partial "active KK" index for the same reason as above.
    scored = (
        f"SELECT h.id AS id, %s + ({score_sql}) AS score "
        f"FROM {q(Household._meta.db_table)} h LEFT JOIN ({people}) p ON p.household_id = h.id "
        "WHERE h.status || '' = 'active'"
    )
    columns = ", ".join(q(c) for c in ("household_id", "model_id", "per_capita", "score", "decile", "rank",
                                       "computed_at"))
    # The scores are computed once into a MATERIALIZED table (SQLite >= 3.35, PostgreSQL >= 12):
    # otherwise SQLite inlines the subquery and evaluates the long CASE sums again for every window.
    # Poorest first; equal scores are ordered by household id so a rerun ranks identically. Rows
    # are inserted in id order so the primary-key index is appended to, not split at random.
    sql = (
        f"WITH s AS MATERIALIZED ({scored}) "
        f"INSERT INTO {q(HouseholdWelfare._meta.db_table)} ({columns}) "
        "SELECT r.id, %s, CAST(ROUND(EXP(r.score)) AS BIGINT), r.score, r.decile, r.rnk, %s FROM ("
        "SELECT s.id, s.score, NTILE(10) OVER w AS decile, ROW_NUMBER() OVER w AS rnk "
        "FROM s WINDOW w AS (ORDER BY s.score, s.id)) r ORDER BY r.id"
    )
    params = [math.log(base_amount), *score_params, *people_params,
              model_id, connection.ops.adapt_datetimefield_value(now)]
    return sql, params
