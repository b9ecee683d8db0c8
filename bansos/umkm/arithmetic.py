"""Pure arithmetic of UMKM support: loan schedules, arrears, revenue trend, months active.

No database here: the services and selectors call these with plain values, and the tests (hypothesis
among them) check them directly. Money is integer Rupiah throughout.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

# Basis points per year × months: 10,000 bp = 100 %, 12 months a year.
BP_MONTHS = 120_000
MAX_TERM_MONTHS = 120
MAX_INTEREST_BP = 10_000  # 100 % a year flat: anything above is surely a typing error


def flat_interest(principal: int, interest_bp_year: int, term_months: int) -> int:
    """Flat interest of a loan: principal × rate × years, rounded DOWN to the rupiah.

    Rounding down is in the borrower's favour: they never owe a fraction of a rupiah more than the
    agreed rate (principal × interest_bp_year × term_months / 120,000 exactly, at most 1 rupiah less).
    """
    return principal * interest_bp_year * term_months // BP_MONTHS


def instalment_amounts(total_due: int, term_months: int) -> list[int]:
    """``term_months`` instalments adding up to exactly ``total_due``.

    Each is total_due // n; the first total_due % n instalments carry one rupiah more, so the
    remainder of the division is neither lost nor invented and the largest instalments come first.
    """
    base, extra = divmod(total_due, term_months)
    return [base + 1 if i < extra else base for i in range(term_months)]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on, the day clamped to the month's end.

    Counted from the original date each time, so 31 Jan → 28/29 Feb → 31 Mar (the 31st comes back).
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_dates(first_due_date: dt.date, term_months: int) -> list[dt.date]:
    return [add_months(first_due_date, i) for i in range(term_months)]


@dataclass(frozen=True)
class Schedule:
    principal: int
    interest: int
    total_due: int
    rows: list[tuple[int, dt.date, int]]  # (number from 1, due date, amount due)


def loan_schedule(principal: int, interest_bp_year: int, term_months: int, first_due_date: dt.date) -> Schedule:
    interest = flat_interest(principal, interest_bp_year, term_months)
    total = principal + interest
    amounts = instalment_amounts(total, term_months)
    dates = due_dates(first_due_date, term_months)
    return Schedule(principal=principal, interest=interest, total_due=total,
                    rows=[(i + 1, dates[i], amounts[i]) for i in range(term_months)])


def allocate(amount: int, outstanding: list[int]) -> list[int]:
    """Split a payment over instalments' outstanding amounts, oldest first; returns what each one gets."""
    out = []
    for owed in outstanding:
        take = min(owed, amount)
        out.append(take)
        amount -= take
    return out


# --- Repayment status and arrears -------------------------------------------------------------------

LUNAS, LANCAR, MENUNGGAK, BELUM_CAIR = "lunas", "lancar", "menunggak", "belum_cair"
# Arrears buckets of the overview, by days overdue.
BUCKETS = (("1-30", 1, 30), ("31-90", 31, 90), ("90+", 91, None))


def days_overdue(on: dt.date, installments) -> int:
    """Days since the oldest due date before ``on`` whose instalment is not fully paid (0: none).

    ``installments`` are (due_date, amount_due, amount_paid). An instalment due on ``on`` itself is not
    overdue yet (it may still be paid today); one due yesterday is 1 day overdue.
    """
    late = [due for due, amount_due, paid in installments if due < on and paid < amount_due]
    return (on - min(late)).days if late else 0


def repayment_status(*, total_due: int, repaid: int, disbursed: bool, overdue_days: int) -> str:
    if not disbursed:
        return BELUM_CAIR
    if repaid >= total_due:
        return LUNAS
    return MENUNGGAK if overdue_days > 0 else LANCAR


def bucket_of(overdue_days: int) -> str:
    for code, low, high in BUCKETS:
        if overdue_days >= low and (high is None or overdue_days <= high):
            return code
    return ""


# --- Revenue trend ----------------------------------------------------------------------------------

NAIK, TURUN, STABIL, KURANG_DATA = "naik", "turun", "stabil", "kurang_data"
TREND_MIN_MONTHS = 4
TREND_THRESHOLD = Fraction(10, 100)


@dataclass(frozen=True)
class Trend:
    code: str
    recent_avg: int | None = None  # average revenue of the last 3 logged months (rounded down)
    before_avg: int | None = None  # of the (up to) 3 logged months before them
    pct: Fraction | None = None  # change in percent; None when the earlier average is 0

    @property
    def pct_display(self) -> str:
        if self.pct is None:
            return ""
        value = round(float(self.pct), 1)
        return f"{value:+.1f}".replace(".", ",") + " %"


def revenue_trend(revenues_newest_first: list[int]) -> Trend:
    """Average of the last 3 logged months against the (up to) 3 before: naik above +10 %, turun below -10 %.

    Compared exactly with fractions (no float at the boundary): +10 % exactly is still "stabil".
    """
    values = revenues_newest_first[:6]
    if len(values) < TREND_MIN_MONTHS:
        return Trend(KURANG_DATA)
    recent, before = values[:3], values[3:]
    recent_avg, before_avg = Fraction(sum(recent), len(recent)), Fraction(sum(before), len(before))
    if before_avg == 0:
        code = NAIK if recent_avg > 0 else STABIL
        return Trend(code, int(recent_avg), 0, None)
    change = (recent_avg - before_avg) / before_avg
    code = NAIK if change > TREND_THRESHOLD else TURUN if change < -TREND_THRESHOLD else STABIL
    return Trend(code, int(recent_avg), int(before_avg), change * 100)


# --- Months active ----------------------------------------------------------------------------------


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when end is before a month has passed)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and end.day != calendar.monthrange(end.year, end.month)[1]:
        months -= 1
    return max(0, months)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)
