"""The change since the previous month: percentage points for percentages, the unit's own change otherwise."""

from __future__ import annotations

import pytest

from bansos.monitoring import charts
from bansos.monitoring.models import Indicator, Snapshot, SnapshotValue
from bansos.monitoring.services import indicators_ensure
from tests.monitoring.conftest import month_before, this_month


def test_it_writes_a_percentage_change_in_points():
    assert charts.fmt_change(2.5, "percent") == "+2,5 poin"
    assert charts.fmt_change(-0.4, "percent") == "-0,4 poin"
    assert charts.fmt_change(0.0, "percent") == "0,0 poin"
    assert charts.fmt_change(1500.0, "rupiah") == "+Rp 1.500"
    assert charts.fmt_change(-2.0, "count") == "-2"
    assert charts.fmt_change(-1.5, "days") == "-1,5 hari"
    assert charts.fmt_number(7.0, "days") == "7 hari"
    assert charts.fmt_change(None, "percent") == ""


@pytest.mark.parametrize("code, values, shown", [
    ("edu-school-age-in-school", (60.0, 66.67), "+6,7 poin"),
    ("part-grievances-open", (12.0, 9.0), "-3"),
])
def test_the_overview_card_shows_the_change_in_the_units_own_terms(cast, client_for, code, values, shown):
    indicators_ensure()
    indicator = Indicator.objects.get(code=code)
    for period, value in zip((month_before(this_month()), this_month()), values, strict=True):
        snap = Snapshot.objects.create(period=period, status="done")
        SnapshotValue.objects.create(snapshot=snap, indicator=indicator, period=period, breakdown="total", key="",
                                     numerator=int(value), denominator=100 if indicator.unit == "percent" else None,
                                     value=value, households=50)
    page = client_for(cast["admin"]).get("/pemantauan/").content.decode()
    assert f'<span class="mon-change">{shown}</span>' in page
    if indicator.unit == "percent":
        assert '<span class="mon-change">+6,7%</span>' not in page
