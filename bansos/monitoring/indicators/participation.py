"""Participation: musyawarah attendance, forum activity, feedback, grievances and announcement reach.

Household conditions go through ``frame.household_in`` (IN on SQLite, EXISTS on PostgreSQL: see there).

Grievance figures count grievances, not households: each cell's ``households`` is its number of
grievances (every grievance has at least one complainant), so a cell of 1-4 grievances is suppressed
like a cell of 1-4 households. They are reproduced for past months from the grievance's own
timestamps (received, resolved, appealed, closed), not from its current state.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from django.db.models import Count, F, Q
from django.utils import timezone

from bansos.monitoring.indicators import Cell, Context, computation
from bansos.monitoring.indicators.frame import (
    _key, active_households, household_in, household_rate, household_share,
)

GRIEVANCE_DIMS = ("rw", "program", "agency")
# Grouping columns of the grievance queries (prefixed: Grievance has fields named rw, program, agency).
_GROUPS = {"g_rw": F("rw__number"), "g_program": F("program_id"), "g_agency": F("agency_id")}


@computation("participation.meeting_attendance", backfill=True)
def meeting_attendance(ctx: Context) -> list[Cell]:
    """Households with a member who attended a held musyawarah in the window (12 months by default)."""
    from bansos.meetings.models import Attendance, MeetingStatus

    months = int(ctx.params.get("window_months", 12))
    attended = Attendance.objects.filter(meeting__status=MeetingStatus.HELD,
                                         meeting__date__gte=ctx.months_back(months - 1),
                                         meeting__date__lte=ctx.as_of)
    return household_share(ctx, population=active_households(ctx), hit=household_in(attended, "resident__household_id"))


def _window_start(ctx: Context, default_months: int) -> dt.datetime:
    start = ctx.months_back(int(ctx.params.get("window_months", default_months)) - 1)
    return timezone.make_aware(dt.datetime(start.year, start.month, start.day))


@computation("participation.forum_posts", backfill=True)
def forum_posts(ctx: Context) -> list[Cell]:
    """Threads and replies written by residents in the month, per 100 active households of their RW.

    Posts a moderator hid before the month's end do not count; staff posts (no household) never do.
    """
    from bansos.forums.models import Reply, Thread

    start, end = _window_start(ctx, 1), ctx.end
    visible = Q(hidden_at__isnull=True) | Q(hidden_at__gte=end)
    written = Q(created_at__gte=start, created_at__lt=end, author__household__isnull=False) & visible
    return household_rate(ctx, population=active_households(ctx),
                          events=[Thread.objects.filter(written), Reply.objects.filter(written)],
                          household_path="author__household__")


@computation("participation.feedback", backfill=True)
def feedback(ctx: Context) -> list[Cell]:
    """Participating households with a member who rated a program or a training in the window (12 months).

    Participating: enrolled by the month's end (approved, active, suspended, graduated or exited).
    """
    from bansos.forums.models import ProgramFeedback
    from bansos.programs.models import Enrollment, EnrollmentState
    from bansos.training.models import Feedback

    start, end = _window_start(ctx, 12), ctx.end
    taking_part = Enrollment.objects.filter(applied_at__lt=end).exclude(
        state__in=[EnrollmentState.APPLIED, EnrollmentState.VERIFIED, EnrollmentState.REJECTED])
    rated_program = ProgramFeedback.objects.filter(created_at__gte=start, created_at__lt=end)
    rated_training = Feedback.objects.filter(created_at__gte=start, created_at__lt=end)
    population = active_households(ctx).filter(household_in(taking_part))
    hit = household_in(rated_program) | household_in(rated_training, "participant__household_id")
    return household_share(ctx, population=population, hit=hit)


@computation("participation.announcement_reach", backfill=True)
def announcement_reach(ctx: Context) -> list[Cell]:
    """Households that received an announcement in their portal inbox in the window (3 months) and opened one."""
    from bansos.notifications.models import Channel, Message

    start, end = _window_start(ctx, 3), ctx.end
    received = Message.objects.filter(household__isnull=False, channel=Channel.INBOX, topic="announcement",
                                      sent_at__gte=start, sent_at__lt=end)
    population = active_households(ctx).filter(household_in(received))
    return household_share(ctx, population=population, hit=household_in(received.filter(read_at__lt=end)))


def _open_at(moment: dt.datetime) -> Q:
    """Grievances open at ``moment``, from their timestamps: received, and neither closed (accepted, closed,
    rejected, duplicate) nor resolved by then, unless appealed after that resolution and before then."""
    resolved = Q(resolved_at__lt=moment) & ~(Q(appealed_at__lt=moment) & Q(appealed_at__gt=F("resolved_at")))
    return Q(received_at__lt=moment) & ~Q(closed_at__lt=moment) & ~resolved


def _grievance_cells(ctx: Context, rows, *, count: bool) -> list[Cell]:
    """Roll grouped rows (``rw``, ``program``, ``agency``, ``num``, ``den``) up to the total and breakdowns."""
    total = Cell("total", "", 0, 0, 0)
    groups: dict[tuple[str, str], Cell] = {}
    for row in rows:
        num, den = int(row["num"] or 0), int(row["den"] or 0)
        total.numerator += num
        total.denominator += den
        for dim in GRIEVANCE_DIMS:
            key = _key(row[f"g_{dim}"])
            if not ctx.wants(dim) or (dim != "rw" and not key):
                continue
            cell = groups.setdefault((dim, key), Cell(dim, key, 0, 0, 0))
            cell.numerator += num
            cell.denominator += den
    cells = [total, *(groups[k] for k in sorted(groups))]
    for cell in cells:
        # The cases behind a cell stand for its households (see the module docstring).
        cell.households = cell.numerator if count else cell.denominator
        if count:
            cell.denominator = None
    return cells


def _moment(ctx: Context) -> dt.datetime:
    """The month's end, or now for the running month (a grievance due later today is not yet overdue)."""
    return min(ctx.end, timezone.now())


@computation("participation.grievances_open", backfill=True)
def grievances_open(ctx: Context) -> list[Cell]:
    """Grievances open at the month's end (received, in progress or appealed then)."""
    from bansos.grievances.models import Grievance

    rows = (Grievance.objects.filter(_open_at(_moment(ctx)))
            .values(**_GROUPS)
            .annotate(num=Count("pk"), den=Count("pk")).order_by())
    return _grievance_cells(ctx, rows, count=True)


@computation("participation.grievances_overdue", backfill=True)
def grievances_overdue(ctx: Context) -> list[Cell]:
    """Of the grievances open at the month's end, those past their resolution deadline."""
    from bansos.grievances.models import Grievance

    moment = _moment(ctx)
    rows = (Grievance.objects.filter(_open_at(moment))
            .values(**_GROUPS)
            .annotate(num=Count("pk", filter=Q(resolution_due_at__lt=moment)), den=Count("pk")).order_by())
    return _grievance_cells(ctx, rows, count=False)


def _resolved_in_window(ctx: Context):
    from bansos.grievances.models import Grievance

    return Grievance.objects.filter(resolved_at__gte=_window_start(ctx, 3), resolved_at__lt=ctx.end)


@computation("participation.grievances_within_sla", backfill=True)
def grievances_within_sla(ctx: Context) -> list[Cell]:
    """Grievances resolved in the window (3 months) by their resolution deadline."""
    rows = (_resolved_in_window(ctx)
            .values(**_GROUPS)
            .annotate(num=Count("pk", filter=Q(resolved_at__lte=F("resolution_due_at"))), den=Count("pk"))
            .order_by())
    return _grievance_cells(ctx, rows, count=False)


@computation("participation.grievance_days", backfill=True)
def grievance_days(ctx: Context) -> list[Cell]:
    """Median calendar days from receipt to (latest) resolution of the grievances resolved in the window.

    A median needs the durations themselves: one query reads them (a few thousand rows a quarter, not one
    per household) and Python takes the median per cell. The numerator is the number of cases.
    """
    durations: dict[tuple[str, str], list[float]] = defaultdict(list)
    rows = _resolved_in_window(ctx).values_list("rw__number", "program_id", "agency_id", "received_at", "resolved_at")
    for rw, program, agency, received, resolved in rows.order_by():
        days = (resolved - received).total_seconds() / 86400
        durations[("total", "")].append(days)
        for dim, value in zip(GRIEVANCE_DIMS, (rw, program, agency), strict=True):
            key = _key(value)
            if ctx.wants(dim) and (dim == "rw" or key):
                durations[(dim, key)].append(days)
    durations.setdefault(("total", ""), [])
    cells = []
    for (dim, key), values in sorted(durations.items(), key=lambda item: (item[0][0] != "total", item[0])):
        cells.append(Cell(dim, key, len(values), None, len(values),
                          value=statistics.median(values) if values else None))
    return cells
