"""Snapshots: reproducible, idempotent per month, small cells suppressed, refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.core.errors import PermissionDeniedError, ValidationFailed
from bansos.monitoring.models import Snapshot, SnapshotValue
from bansos.monitoring.services import snapshot_run
from bansos.monitoring.services.snapshots import compute_value, parse_month
from tests.monitoring.conftest import cells, this_month


def _rows():
    return sorted(SnapshotValue.objects.values_list("indicator__code", "period", "breakdown", "key", "numerator",
                                                    "denominator", "value", "households", "suppressed",
                                                    "from_current"))


def test_it_replaces_a_month_instead_of_adding_to_it(known, cast):
    first = snapshot_run(actor=cast["admin"])
    before = _rows()
    second = snapshot_run(actor=cast["admin"])
    assert first.pk == second.pk
    assert _rows() == before
    assert SnapshotValue.objects.count() == second.rows == len(before)
    assert Snapshot.objects.count() == 1


def test_it_stores_the_new_figures_when_the_data_changed(known, cast):
    from bansos.registry.models import Resident

    snapshot_run(actor=None)
    Resident.objects.filter(household=known["rw2"], school_enrolment="dropped_out").update(
        school_enrolment="enrolled")
    snapshot_run(actor=None)
    assert cells("edu-school-age-in-school")["total", ""].numerator == 3


def test_it_suppresses_cells_of_fewer_than_five_households(known):
    snapshot_run(actor=None)
    c = cells("edu-school-age-in-school")
    assert c["rw", "2"].households == 1 and c["rw", "2"].suppressed
    assert c["total", ""].households == 3 and c["total", ""].suppressed  # 3 households: still too few


def test_it_refuses_a_snapshot_from_an_officer_and_stores_nothing(known, cast):
    with pytest.raises(PermissionDeniedError):
        snapshot_run(actor=cast["officer"])
    with pytest.raises(PermissionDeniedError):
        snapshot_run(actor=cast["evaluator"])
    assert not Snapshot.objects.exists() and not SnapshotValue.objects.exists()


def test_it_refuses_a_future_month(known, cast):
    future = dt.date(this_month().year + 1, 1, 1)
    with pytest.raises(ValidationFailed) as exc:
        snapshot_run(actor=cast["admin"], period=future)
    assert "month" in exc.value.errors
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize("text", ["2025-13", "25-01", "", "2025/01", "abcd-ef"])
def test_it_names_the_month_field_on_bad_input(text):
    with pytest.raises(ValidationFailed) as exc:
        parse_month(text)
    assert list(exc.value.errors) == ["month"]


def test_it_parses_a_month():
    assert parse_month("2025-08") == dt.date(2025, 8, 1)


def test_values_follow_the_unit():
    assert compute_value("percent", 1, 3) == 33.33
    assert compute_value("percent", 1, 0) is None
    assert compute_value("rupiah", 1_000_001, None) == 1_000_001
    assert compute_value("rupiah", 10, 4) == 3  # 2.5 rounds half up to whole Rupiah
    assert compute_value("days", 7, 2) == 3.5


def test_the_monthly_task_runs_the_snapshot(known):
    from bansos.monitoring.tasks import snapshot_task

    result = snapshot_task.call(this_month().isoformat(), None)
    assert result == Snapshot.objects.get(period=this_month()).rows > 0


def test_the_command_runs_a_month(known, capsys):
    from django.core.management import call_command

    call_command("monitoring-snapshot", "--month", this_month().strftime("%Y-%m"))
    assert Snapshot.objects.filter(period=this_month()).exists()
