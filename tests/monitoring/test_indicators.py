"""Each default indicator against the hand-built kelurahan of ``conftest.known``."""

from __future__ import annotations

import pytest

from bansos.monitoring.models import Indicator
from bansos.monitoring.services import indicators_ensure, snapshot_run
from tests.monitoring.conftest import cells, month_before, this_month


@pytest.fixture
def snap(known):
    return snapshot_run(actor=known and None)


def test_it_creates_the_default_indicators_once(db):
    indicators_ensure()
    count = Indicator.objects.count()
    assert count >= 14
    assert indicators_ensure() == 0
    assert Indicator.objects.count() == count


def test_it_counts_school_age_children_in_school(snap):
    c = cells("edu-school-age-in-school")
    assert (c["total", ""].numerator, c["total", ""].denominator, c["total", ""].value) == (2, 3, 66.67)
    assert (c["rw", "1"].numerator, c["rw", "1"].denominator) == (2, 2)
    assert (c["rw", "2"].numerator, c["rw", "2"].denominator) == (0, 1)
    assert (c["female_head", "1"].numerator, c["female_head", "1"].denominator) == (1, 1)
    assert (c["sex", "L"].numerator, c["sex", "L"].denominator, c["sex", "P"].denominator) == (1, 2, 1)
    assert c["age_group", "13-15"].denominator == 1 and c["age_group", "16-18"].denominator == 2
    assert c["total", ""].households == 3


def test_it_measures_stunting_from_the_latest_visit(snap):
    c = cells("health-stunting")
    assert (c["total", ""].numerator, c["total", ""].denominator, c["total", ""].value) == (1, 2, 50.0)
    assert (c["rw", "1"].numerator, c["rw", "2"].numerator) == (1, 0)


def test_it_counts_households_with_a_running_business(snap):
    c = cells("econ-business-households")
    assert (c["total", ""].numerator, c["total", ""].denominator) == (1, 3)
    assert (c["rw", "1"].numerator, c["rw", "1"].denominator) == (1, 2)


def test_it_measures_exclusion_and_inclusion_errors(snap):
    exclusion, inclusion = cells("target-exclusion"), cells("target-inclusion")
    # decile 2: Budi (enrolled, active) and Sri (nothing) -> one of two left out
    assert (exclusion["total", ""].numerator, exclusion["total", ""].denominator) == (1, 2)
    # decile 9: Joko, in no program
    assert (inclusion["total", ""].numerator, inclusion["total", ""].denominator) == (0, 1)


def test_it_counts_reach_from_enrollments(snap):
    c = cells("reach-aware")
    assert (c["total", ""].numerator, c["total", ""].denominator) == (1, 3)


def test_it_sums_the_budget_movements(snap, known):
    allocated, committed = cells("budget-allocated"), cells("budget-committed")
    assert allocated["total", ""].value == 1_000_000
    assert allocated["program", str(known["cash"].pk)].numerator == 1_000_000
    assert committed["total", ""].value == 900_000  # 3 periods of Rp 300.000 for the approved household
    assert allocated["total", ""].households is None and not allocated["total", ""].suppressed


def test_it_stores_zero_indicators_without_data_as_empty_values(snap):
    c = cells("health-antenatal-k6")
    assert (c["total", ""].numerator, c["total", ""].denominator, c["total", ""].value) == (0, 0, None)


def test_it_marks_past_months_of_current_only_indicators(known):
    past = month_before(this_month(), 2)
    snap = snapshot_run(actor=None, period=past)
    assert snap.backfilled
    assert cells("edu-school-age-in-school", past)["total", ""].from_current is True
    assert cells("health-stunting", past)["total", ""].from_current is False
    # the visits are this month's: none in the window two months back
    assert cells("health-stunting", past)["total", ""].denominator == 0
