"""API of the monitoring app: indicators and their stored monthly values (aggregates only).

Values leave the staff interface here, so cells of 1-4 households are always suppressed (value and
counts null, ``suppressed`` true), whoever asks. Officers see the program and agency breakdowns of
their own agency only, as on the pages.
"""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema

from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError
from bansos.monitoring.access import require_view
from bansos.monitoring.models import Breakdown, Indicator, SnapshotValue
from bansos.monitoring.selectors import allowed_keys, periods, point
from bansos.monitoring.services import snapshot_request
from bansos.monitoring.services.snapshots import parse_month

router = Router(tags=["monitoring"])


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    area: str
    unit: str
    direction: str
    baseline: float | None
    target: float | None
    target_date: dt.date | None
    breakdowns: list[str]
    is_active: bool


class MonitoringValueOut(Schema):
    period: dt.date
    breakdown: str
    key: str
    numerator: int | None
    denominator: int | None
    value: float | None
    households: int | None
    suppressed: bool
    from_current: bool


class SnapshotIn(Schema):
    month: str


class SnapshotQueuedOut(Schema):
    month: str
    queued: bool


@router.get("/monitoring/indicators", response={200: list[IndicatorOut], **ERROR_RESPONSES},
            operation_id="monitoring_indicator_list", summary="Indicators with definitions and targets")
def monitoring_indicator_list(request):
    require_view(request.auth)
    return [{**{f: getattr(i, f) for f in IndicatorOut.model_fields}} for i in Indicator.objects.all()]


@router.get("/monitoring/indicators/{code}/values", response={200: list[MonitoringValueOut], **ERROR_RESPONSES},
            operation_id="monitoring_value_list",
            summary="An indicator's stored values: one breakdown, the last months (small cells suppressed)")
def monitoring_value_list(request, code: str, breakdown: str = Query("total"), months: int = Query(12, ge=1, le=60),
                          until: str | None = Query(None, description="YYYY-MM")):
    require_view(request.auth)
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None or breakdown not in Breakdown.values:
        raise NotFoundError()
    shown = periods(until=parse_month(until) if until else None, months=months)
    allowed = allowed_keys(request.auth, breakdown)
    rows = SnapshotValue.objects.filter(indicator=indicator, breakdown=breakdown, period__in=shown).order_by(
        "period", "key")
    out = []
    for row in rows:
        if allowed is not None and row.key not in allowed:
            continue
        p = point(row, reveal=False)
        out.append({"period": row.period, "breakdown": row.breakdown, "key": row.key, "numerator": p.numerator,
                    "denominator": p.denominator, "value": p.value, "households": p.households,
                    "suppressed": row.suppressed, "from_current": row.from_current})
    return out


@router.post("/monitoring/snapshots", response={202: SnapshotQueuedOut, **ERROR_RESPONSES},
             operation_id="monitoring_snapshot_run", summary="Queue the snapshot of a month (replaces that month)")
def monitoring_snapshot_run(request, payload: SnapshotIn):
    period = parse_month(payload.month)
    snapshot_request(actor=request.auth, period=period)
    return Status(202, {"month": period.strftime("%Y-%m"), "queued": True})
