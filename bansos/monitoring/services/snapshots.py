"""Monthly snapshots: every active indicator with its breakdowns, replacing the month's values atomically.

The values are computed first (reads only), then one short transaction deletes the month's old rows
and writes the new ones, so readers see either the old month or the new one, never a mixture, and a
failed computation leaves the month as it was. Re-running a month gives the same rows as long as
the data it reads did not change (reproducible; the tests compare two runs).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, ValidationFailed
from bansos.monitoring.indicators import COMPUTATIONS, Cell, Context
from bansos.monitoring.models import Indicator, Snapshot, SnapshotStatus, SnapshotValue, Unit

# Cells with 1-4 households are hidden wherever aggregates leave the staff interface.
SUPPRESS_BELOW = 5

MSG_MONTH_FORMAT = _("Bulan harus berformat TTTT-BB, misalnya 2025-08.")
MSG_MONTH_FUTURE = _("Bulan %(month)s belum dimulai; potret hanya bisa dibuat untuk bulan ini atau sebelumnya.")
MSG_UNKNOWN_COMPUTATION = _("Cara hitung %(key)s tidak terdaftar.")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` -> the month's first day; a clear error naming the field otherwise."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ValidationFailed({"month": [MSG_MONTH_FORMAT]})
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def as_of_for(period: dt.date, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    last = period.replace(day=calendar.monthrange(period.year, period.month)[1])
    return min(last, today)


def compute_value(unit: str, numerator: int, denominator: int | None) -> float | None:
    if unit in (Unit.PERCENT, Unit.PER_100):
        return round(100 * numerator / denominator, 2) if denominator else None
    if unit == Unit.DAYS:
        return round(numerator / denominator, 2) if denominator else None
    if denominator is None:
        return float(numerator)
    # Rupiah per beneficiary: whole Rupiah, half up.
    return float((2 * numerator + denominator) // (2 * denominator)) if denominator else None


def indicator_cells(indicator: Indicator, period: dt.date, *, today: dt.date | None = None) -> list[Cell]:
    comp = COMPUTATIONS.get(indicator.computation)
    if comp is None:
        raise DomainError("unknown_computation", MSG_UNKNOWN_COMPUTATION, key=indicator.computation)
    ctx = Context(period=period, as_of=as_of_for(period, today), params=dict(indicator.params or {}),
                  breakdowns=tuple(indicator.breakdowns or ()))
    return comp.func(ctx)


def _rows(indicator: Indicator, period: dt.date, cells: list[Cell], from_current: bool) -> list[SnapshotValue]:
    rows = []
    for c in cells:
        suppressed = c.households is not None and 0 < c.households < SUPPRESS_BELOW
        rows.append(SnapshotValue(
            indicator=indicator, period=period, breakdown=c.breakdown, key=c.key[:40], numerator=int(c.numerator),
            denominator=None if c.denominator is None else int(c.denominator),
            value=(round(float(c.value), 2) if c.value is not None
                   else compute_value(indicator.unit, int(c.numerator), c.denominator)), households=c.households,
            suppressed=suppressed, from_current=from_current))
    return rows


def snapshot_run(*, actor, period: dt.date | None = None,
                 progress: Callable[[int, int], None] | None = None) -> Snapshot:
    """Compute every active indicator for ``period`` (default: this month) and store it, replacing the month.

    ``actor`` None is the system (the monthly task, the CLI, the demo).
    """
    from bansos.monitoring.services.indicators import default_specs, indicators_ensure

    if actor is not None:
        require(actor, P.MONITORING_MANAGE)
    today = timezone.localdate()
    period = month_start(period or today)
    if period > month_start(today):
        raise ValidationFailed({"month": [MSG_MONTH_FUTURE % {"month": period.strftime("%Y-%m")}]})
    default_specs()
    indicators_ensure()
    started = time.monotonic()
    past = period < month_start(today)
    indicators = [i for i in Indicator.objects.filter(is_active=True) if i.computation in COMPUTATIONS]
    rows: list[SnapshotValue] = []
    for n, indicator in enumerate(indicators, 1):
        from_current = past and not COMPUTATIONS[indicator.computation].backfill
        rows += _rows(indicator, period, indicator_cells(indicator, period, today=today), from_current)
        if progress:
            progress(n, len(indicators))
    with transaction.atomic():
        snap, _created = Snapshot.objects.select_for_update().get_or_create(period=period)
        SnapshotValue.objects.filter(snapshot=snap).delete()
        for row in rows:
            row.snapshot = snap
        SnapshotValue.objects.bulk_create(rows, batch_size=2000)
        snap.status = SnapshotStatus.DONE
        snap.backfilled = past
        snap.indicators = len(indicators)
        snap.rows = len(rows)
        snap.error = ""
        snap.seconds = round(time.monotonic() - started, 3)
        snap.computed_at = timezone.now()
        snap.created_by = actor if actor is not None and actor.is_authenticated else None
        snap.save()
        audit_log(actor=actor, action="monitoring.snapshot.run", obj=snap,
                  changes={"indicators": snap.indicators, "rows": snap.rows, "backfilled": past})
    return snap


@transaction.atomic
def snapshot_request(*, actor, period: dt.date) -> None:
    """Queue the snapshot of ``period`` as a background task (the page's "hitung ulang" button)."""
    from bansos.monitoring.tasks import snapshot_task

    require(actor, P.MONITORING_MANAGE)
    period = month_start(period)
    if period > month_start(timezone.localdate()):
        raise ValidationFailed({"month": [MSG_MONTH_FUTURE % {"month": period.strftime("%Y-%m")}]})
    audit_log(actor=actor, action="monitoring.snapshot.request", object_type="monitoring.snapshot",
              object_id=period.isoformat(), object_label=period.strftime("%Y-%m"))
    transaction.on_commit(lambda: snapshot_task.enqueue(period.isoformat(), actor.pk))
