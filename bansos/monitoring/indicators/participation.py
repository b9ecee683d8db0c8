"""Participation: musyawarah attendance (forums and grievances are added as those apps land)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from bansos.monitoring.indicators import Cell, Context, computation
from bansos.monitoring.indicators.frame import active_households, household_share


@computation("participation.meeting_attendance", backfill=True)
def meeting_attendance(ctx: Context) -> list[Cell]:
    """Households with a member who attended a held musyawarah in the window (12 months by default)."""
    from bansos.meetings.models import Attendance, MeetingStatus

    months = int(ctx.params.get("window_months", 12))
    attended = Attendance.objects.filter(resident__household_id=OuterRef("pk"), meeting__status=MeetingStatus.HELD,
                                         meeting__date__gte=ctx.months_back(months - 1),
                                         meeting__date__lte=ctx.as_of)
    return household_share(ctx, population=active_households(ctx), hit=Exists(attended))
