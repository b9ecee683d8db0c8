"""A program's budget card: the figures kept on its row, and when the money runs out at the current pace.

The forecast reads the BudgetMovement ledger: commitments (approvals) net of releases (exits,
withdrawn approvals) over the last ``WINDOW_DAYS`` calendar days, or since the first commitment when
the program is younger than that, divided by the number of days in that window. Days are Jakarta
calendar days and the window includes today, so a program whose first approval was this morning
has a one-day window rather than a rate inflated by dividing by a few hours. All arithmetic is on
integer Rupiah.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min, Q, Sum
from django.utils import timezone

from bansos.programs.models import BudgetMovement, MovementKind, Program, ProgramStatus

WINDOW_DAYS = 90


@dataclass(frozen=True)
class BudgetCard:
    allocated: int
    committed: int
    disbursed: int
    remaining: int
    committed_pct: int  # of the allocation, 0-100, for the bar
    disbursed_pct: int
    seats_taken: int
    capacity: int | None
    seats_remaining: int | None
    cost_per_participant: int
    # How many more participants the remaining money pays for (None when a participant costs nothing).
    affordable: int | None


@dataclass(frozen=True)
class Forecast:
    """When the remaining budget runs out at the current pace, or why that cannot be said."""

    runs_out_on: dt.date | None
    reason: str  # "ok", "no_rate", "nothing_left", "closed", "no_budget"
    window_start: dt.date | None = None
    window_days: int = 0
    net_committed: int = 0  # commitments less releases in the window
    per_day: int = 0  # rounded to whole Rupiah for display; the date uses the exact ratio
    days_left: int | None = None
    before_end: bool = False  # runs out before the program's own end date


def _pct(part: int, whole: int) -> int:
    if whole <= 0:
        return 0
    return max(0, min(100, part * 100 // whole))


def budget_card(program: Program) -> BudgetCard:
    cost = program.cost_per_participant
    remaining = program.budget_remaining
    return BudgetCard(
        allocated=program.budget_allocated,
        committed=program.budget_committed,
        disbursed=program.budget_disbursed,
        remaining=remaining,
        committed_pct=_pct(program.budget_committed, program.budget_allocated),
        disbursed_pct=_pct(program.budget_disbursed, program.budget_allocated),
        seats_taken=program.seats_taken,
        capacity=program.capacity,
        seats_remaining=program.seats_remaining,
        cost_per_participant=cost,
        affordable=(max(remaining, 0) // cost) if cost > 0 else None,
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def budget_forecast(program: Program, *, today: dt.date | None = None) -> Forecast:
    """At the pace of the last ``WINDOW_DAYS`` days' net commitments, the day the budget runs out."""
    if program.status == ProgramStatus.CLOSED:
        return Forecast(runs_out_on=None, reason="closed")
    if program.budget_allocated <= 0:
        return Forecast(runs_out_on=None, reason="no_budget")
    remaining = program.budget_remaining
    if remaining <= 0:
        return Forecast(runs_out_on=None, reason="nothing_left")
    today = today or timezone.localdate()
    cutoff_day = today - dt.timedelta(days=WINDOW_DAYS - 1)
    # Releases are stored as negative amounts, so one sum over both kinds is the net commitment.
    figures = BudgetMovement.objects.filter(program=program).aggregate(
        first=Min("created_at", filter=Q(kind=MovementKind.COMMIT)),
        net=Sum("amount", filter=Q(kind__in=[MovementKind.COMMIT, MovementKind.RELEASE],
                                   created_at__gte=_day_start(cutoff_day))),
    )
    first, net = figures["first"], figures["net"] or 0
    if first is None or net <= 0:
        return Forecast(runs_out_on=None, reason="no_rate", net_committed=net)
    start = max(cutoff_day, timezone.localtime(first).date())
    days = (today - start).days + 1
    # remaining / (net / days) days, rounded up: the budget is gone during that day.
    days_left = -(-remaining * days // net)
    runs_out_on = today + dt.timedelta(days=days_left)
    return Forecast(
        runs_out_on=runs_out_on, reason="ok", window_start=start, window_days=days, net_committed=net,
        per_day=(net + days // 2) // days, days_left=days_left, before_end=runs_out_on <= program.end_date,
    )
