"""Service-level deadlines in working days (Monday to Friday, Asia/Jakarta).

SP4N-LAPOR! counts "hari kerja". A deadline is the last moment (23:59:59.999999 Jakarta time) of the
Nth working day after the local day the clock started, so a grievance received on Friday evening
with 3 days to answer is due at the end of Wednesday, and one received on Saturday likewise.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from bansos.grievances.models import FIRST_RESPONSE_DAYS, RESOLUTION_DAYS


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``day`` (weekends skipped)."""
    current = day
    left = days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def due_after(start: dt.datetime, days: int) -> dt.datetime:
    """End of the ``days``-th working day after the Jakarta day of ``start`` (an aware datetime)."""
    local_day = start.astimezone(_zone()).date()
    end = add_working_days(local_day, days)
    return dt.datetime.combine(end, dt.time.max, tzinfo=_zone())


def first_response_due(received_at: dt.datetime) -> dt.datetime:
    return due_after(received_at, FIRST_RESPONSE_DAYS)


def resolution_due(start: dt.datetime, track: str) -> dt.datetime:
    return due_after(start, RESOLUTION_DAYS[track])
