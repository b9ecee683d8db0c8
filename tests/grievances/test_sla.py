"""Service-level deadlines: working days in Jakarta time."""

from __future__ import annotations

import datetime as dt

from bansos.grievances import sla
from tests.grievances.conftest import JKT, at


def test_it_counts_working_days_skipping_the_weekend():
    assert sla.add_working_days(dt.date(2026, 3, 6), 3) == dt.date(2026, 3, 11)  # Friday -> Wednesday
    assert sla.add_working_days(dt.date(2026, 3, 7), 1) == dt.date(2026, 3, 9)  # Saturday -> Monday
    assert sla.add_working_days(dt.date(2026, 3, 2), 5) == dt.date(2026, 3, 9)


def test_it_ends_a_deadline_at_the_end_of_the_jakarta_day():
    due = sla.first_response_due(at(2))
    assert due.astimezone(JKT).date() == dt.date(2026, 3, 5)
    assert due.astimezone(JKT).time() == dt.time.max


def test_it_uses_the_jakarta_day_not_the_utc_day():
    # 06:30 Tuesday in Jakarta is still Monday in UTC.
    received = dt.datetime(2026, 3, 3, 6, 30, tzinfo=JKT)
    assert sla.first_response_due(received).astimezone(JKT).date() == dt.date(2026, 3, 6)


def test_it_sets_resolution_days_by_track():
    assert sla.resolution_due(at(2), "complaint").astimezone(JKT).date() == dt.date(2026, 3, 9)
    assert sla.resolution_due(at(2), "dispute").astimezone(JKT).date() == dt.date(2026, 3, 20)
    assert sla.resolution_due(at(2), "field").astimezone(JKT).date() == dt.date(2026, 5, 25)
