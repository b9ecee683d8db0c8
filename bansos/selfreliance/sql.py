"""One month of the kemandirian index for every active household, as one INSERT ... SELECT.

The components (``components``) are CASE expressions over one GROUP BY of the active members, small
grouped subqueries of the dated records (posyandu visits, loan instalments and repayments) and
EXISTS probes (businesses, job placements, cash enrollments) that use the foreign-key indexes. Nothing
crosses into Python per household. The weights are bound as integer parameters and the score is
integer arithmetic (rounded half up), so SQLite and PostgreSQL give the same numbers.

Only portable SQL: CASE, COALESCE, aggregates, LEFT JOIN on derived tables, EXISTS, ROW_NUMBER()
(SQLite >= 3.25, PostgreSQL). Dates and times are passed through the backend's adapters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

from bansos.selfreliance.components import (
    ADULT_AGE, ARREARS_GRACE_DAYS, CODES, GROWTH_WINDOW_DAYS, SCHOOL_AGES, UNDER_FIVE_AGE,
)

WORKING = ("employee", "self_employed", "casual")
CASH_TOOK_PART = ("approved", "active", "suspended", "graduated", "exited")


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_start_instant(month: dt.date) -> dt.datetime:
    """The first instant of ``month`` in the kelurahan's time zone (Asia/Jakarta)."""
    return timezone.make_aware(dt.datetime(month.year, month.month, 1), timezone.get_default_timezone())


def compute_month_sql(*, month: dt.date, model_id: int, weights: dict[str, int], poverty_line: int,
                      now: dt.datetime) -> tuple[str, list[Any]]:
    """The INSERT ... SELECT that stores ``month`` for every active household (the month's rows must be gone)."""
    from bansos.selfreliance.models import IndexScore

    ops = connection.ops
    end = month_end(month)
    d = ops.adapt_datefield_value
    as_of = d(end)
    adult_born_by = d(years_before(end, ADULT_AGE))
    school_born_by = d(years_before(end, SCHOOL_AGES[0]))
    school_born_after = d(years_before(end, SCHOOL_AGES[1] + 1))
    under_five_born_after = d(years_before(end, UNDER_FIVE_AGE))
    growth_from = d(end - dt.timedelta(days=GROWTH_WINDOW_DAYS))
    arrears_due_by = d(end - dt.timedelta(days=ARREARS_GRACE_DAYS))
    next_start = ops.adapt_datetimefield_value(month_start_instant(next_month(month)))
    working = ", ".join(["%s"] * len(WORKING))
    took_part = ", ".join(["%s"] * len(CASH_TOOK_PART))

    members = f"""
        SELECT household_id, COUNT(*) AS size, SUM(monthly_income) AS income,
               SUM(CASE WHEN birth_date <= %s AND employment_status IN ({working}) THEN 1 ELSE 0 END) AS earners,
               SUM(CASE WHEN birth_date <= %s AND birth_date > %s THEN 1 ELSE 0 END) AS school_age,
               SUM(CASE WHEN birth_date <= %s AND birth_date > %s AND school_enrolment = 'enrolled'
                        THEN 1 ELSE 0 END) AS in_school
        FROM registry_resident WHERE status = 'active' GROUP BY household_id"""
    members_params = [adult_born_by, *WORKING, school_born_by, school_born_after, school_born_by, school_born_after]

    # The latest measurement of each child still under five, within the window.
    growth = """
        SELECT lv.household_id, COUNT(*) AS measured,
               SUM(CASE WHEN (lv.haz IS NULL OR lv.haz >= -2) AND (lv.whz IS NULL OR lv.whz >= -2)
                        THEN 1 ELSE 0 END) AS normal
        FROM (SELECT r.household_id, v.haz, v.whz,
                     ROW_NUMBER() OVER (PARTITION BY v.child_id ORDER BY v.visit_date DESC, v.id DESC) AS rn
              FROM health_childvisit v JOIN registry_resident r ON r.id = v.child_id
              WHERE v.visit_date <= %s AND v.visit_date > %s AND r.status = 'active' AND r.birth_date > %s
                AND (v.haz IS NOT NULL OR v.whz IS NOT NULL)) lv
        WHERE lv.rn = 1 GROUP BY lv.household_id"""
    growth_params = [as_of, growth_from, under_five_born_after]

    # Loans whose instalments due (with the grace period) exceed what was repaid by the month's end.
    arrears = """
        SELECT b.household_id, COUNT(*) AS late
        FROM umkm_capitalsupport c JOIN umkm_business b ON b.id = c.business_id
        WHERE c.kind = 'loan'
          AND (SELECT COALESCE(SUM(i.amount_due), 0) FROM umkm_installment i
               WHERE i.loan_id = c.id AND i.due_date <= %s)
            > (SELECT COALESCE(SUM(rp.amount), 0) FROM umkm_repayment rp
               WHERE rp.loan_id = c.id AND rp.paid_on <= %s AND rp.reversed_at IS NULL)
        GROUP BY b.household_id"""
    arrears_params = [arrears_due_by, as_of]

    livelihood = f"""
        CASE WHEN EXISTS (SELECT 1 FROM umkm_business b WHERE b.household_id = h.id AND b.started_on <= %s
                          AND ((b.closed_on IS NULL AND b.status = 'active') OR b.closed_on > %s))
               OR EXISTS (SELECT 1 FROM jobs_jobreferral j WHERE j.household_id = h.id AND j.status = 'hired'
                          AND j.start_date <= %s)
             THEN 100 ELSE 0 END"""
    livelihood_params = [as_of, as_of, as_of]

    cash = f"""
        CASE WHEN EXISTS (SELECT 1 FROM programs_enrollment e JOIN programs_program pg ON pg.id = e.program_id
                          WHERE e.household_id = h.id AND pg.kind = 'cash' AND e.state IN ({took_part})
                            AND COALESCE(e.started_at, e.decided_at, e.applied_at) < %s
                            AND (e.ended_at IS NULL OR e.ended_at >= %s))
             THEN 0 ELSE 100 END"""
    cash_params = [*CASH_TOOK_PART, next_start, next_start]

    inner = f"""
        SELECT h.id AS household_id,
          CASE WHEN COALESCE(p.size, 0) = 0 THEN 0
               WHEN COALESCE(h.monthly_income, p.income, 0) >= %s * p.size THEN 100 ELSE 0 END AS c_income,
          CASE WHEN COALESCE(p.earners, 0) > 0 THEN 100 ELSE 0 END AS c_earner,
          {livelihood} AS c_livelihood,
          CASE WHEN COALESCE(p.school_age, 0) = 0 THEN 100 ELSE (100 * p.in_school) / p.school_age END
            AS c_schooling,
          CASE WHEN g.measured IS NULL THEN 100 ELSE (100 * g.normal) / g.measured END AS c_growth,
          CASE WHEN a.late IS NULL THEN 100 ELSE 0 END AS c_no_arrears,
          {cash} AS c_no_cash_aid
        FROM registry_household h
        LEFT JOIN ({members}) p ON p.household_id = h.id
        LEFT JOIN ({growth}) g ON g.household_id = h.id
        LEFT JOIN ({arrears}) a ON a.household_id = h.id
        WHERE h.status = 'active'"""
    # Parameter order follows the text: select list first, then the joins in order.
    inner_params = [poverty_line, *livelihood_params, *cash_params, *members_params, *growth_params,
                    *arrears_params]

    total = sum(weights.get(code, 0) for code in CODES) or 1
    points = " + ".join(f"%s * c.c_{code}" for code in CODES)
    columns = ", ".join(f"c_{code}" for code in CODES)
    table = connection.ops.quote_name(IndexScore._meta.db_table)
    sql = f"""
        INSERT INTO {table} (household_id, month, model_id, score, {columns}, computed_at)
        SELECT c.household_id, %s, %s, (2 * ({points}) + %s) / (2 * %s), {", ".join(f"c.c_{code}" for code in CODES)}, %s
        FROM ({inner}) c"""
    params = [d(month), model_id, *[int(weights.get(code, 0)) for code in CODES], total, total,
              ops.adapt_datetimefield_value(now), *inner_params]
    return sql, params
