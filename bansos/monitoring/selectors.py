"""Reads of the monitoring app: dashboards come from stored snapshots only (a handful of small queries)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _g

from bansos.monitoring.access import reveals_small_cells
from bansos.monitoring.models import Breakdown, Indicator, RWBoundary, Snapshot, SnapshotStatus, SnapshotValue

MONTHS_SHOWN = 12


@dataclass
class Point:
    period: dt.date
    value: float | None
    numerator: int | None
    denominator: int | None
    households: int | None
    hidden: bool  # suppressed and not shown to this viewer
    small: bool  # 1-4 households (shown to staff, marked)
    from_current: bool

    @property
    def label(self) -> str:
        return self.period.strftime("%Y-%m")


@dataclass
class Card:
    indicator: Indicator
    series: list[Point]
    latest: Point | None = None
    previous: Point | None = None
    status: str = ""  # "on_track", "off_track" or "" (no target / no value)
    extra: dict = field(default_factory=dict)

    @property
    def change(self) -> float | None:
        if self.latest is None or self.previous is None or None in (self.latest.value, self.previous.value):
            return None
        return round(self.latest.value - self.previous.value, 2)


def point(row: SnapshotValue, *, reveal: bool) -> Point:
    hidden = row.suppressed and not reveal
    return Point(period=row.period, value=None if hidden else row.value,
                 numerator=None if hidden else row.numerator, denominator=None if hidden else row.denominator,
                 households=None if hidden else row.households, hidden=hidden, small=row.suppressed,
                 from_current=row.from_current)


def periods(*, until: dt.date | None = None, months: int = MONTHS_SHOWN) -> list[dt.date]:
    """The stored months (oldest first), the last ``months`` of them up to ``until``."""
    qs = Snapshot.objects.filter(status=SnapshotStatus.DONE)
    if until:
        qs = qs.filter(period__lte=until)
    return sorted(qs.order_by("-period").values_list("period", flat=True)[:months])


def _status(indicator: Indicator, value: float | None) -> str:
    if value is None or indicator.target is None or indicator.direction == "neutral":
        return ""
    ok = value >= indicator.target if indicator.direction == "up" else value <= indicator.target
    return "on_track" if ok else "off_track"


def scope_cards(*, user, breakdown: str, key: str = "", until: dt.date | None = None,
                months: int = MONTHS_SHOWN, area: str = "") -> tuple[list[dt.date], list[Card]]:
    """Indicator cards of one scope (the kelurahan, an RW, a program, ...) with their monthly series."""
    reveal = reveals_small_cells(user)
    shown = periods(until=until, months=months)
    indicators = [i for i in Indicator.objects.filter(is_active=True)
                  if breakdown == Breakdown.TOTAL or breakdown in (i.breakdowns or [])]
    if area:
        indicators = [i for i in indicators if i.area == area]
    by_indicator: dict[int, dict[dt.date, Point]] = defaultdict(dict)
    if shown:
        rows = SnapshotValue.objects.filter(breakdown=breakdown, key=key, period__in=shown,
                                            indicator_id__in=[i.pk for i in indicators])
        for row in rows:
            by_indicator[row.indicator_id][row.period] = point(row, reveal=reveal)
    cards = []
    for indicator in indicators:
        found = by_indicator.get(indicator.pk, {})
        series = [found.get(p) or Point(p, None, None, None, None, False, False, False) for p in shown]
        card = Card(indicator=indicator, series=series)
        stored = [p for p in series if p.period in found]
        card.latest = stored[-1] if stored else None
        card.previous = stored[-2] if len(stored) > 1 else None
        card.status = _status(indicator, card.latest.value if card.latest else None)
        cards.append(card)
    return shown, cards


def labels_for(breakdown: str, keys: list[str]) -> dict[str, str]:
    """Human labels of breakdown keys (RW numbers, program and agency names, ...)."""
    from bansos.accounts.models import Agency
    from bansos.programs.models import FundingSource, Program

    ids = [int(k) for k in keys if k.isdigit()]
    if breakdown == Breakdown.RW:
        return {k: f"RW {int(k):02d}" if k.isdigit() else _g("Tanpa RW") for k in keys}
    if breakdown == Breakdown.PROGRAM:
        names = dict(Program.objects.filter(pk__in=ids).values_list("pk", "name"))
        return {k: names.get(int(k), k) if k.isdigit() else k for k in keys}
    if breakdown == Breakdown.AGENCY:
        names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
        return {k: names.get(int(k), k) if k.isdigit() else k for k in keys}
    if breakdown == Breakdown.FUNDING:
        names = dict(FundingSource.objects.filter(pk__in=ids).values_list("pk", "name"))
        return {k: names.get(int(k), k) if k.isdigit() else k for k in keys}
    if breakdown == Breakdown.SEX:
        return {k: {"L": _g("Laki-laki"), "P": _g("Perempuan")}.get(k, k) for k in keys}
    if breakdown == Breakdown.FEMALE_HEAD:
        return {k: _g("Kepala keluarga perempuan") if k == "1" else _g("Kepala keluarga laki-laki / lainnya")
                for k in keys}
    if breakdown == Breakdown.DECILE:
        return {k: _g("Desil %(d)s") % {"d": k} if k else _g("Belum dinilai") for k in keys}
    if breakdown == Breakdown.AGE_GROUP:
        return {k: _g("%(k)s tahun") % {"k": k} if k else _g("Tidak diketahui") for k in keys}
    return {k: k for k in keys}


def _sort_key(breakdown: str, key: str):
    if key.isdigit():
        return (0, int(key), key)
    if breakdown == Breakdown.AGE_GROUP and key:
        return (0, int(key.split("-")[0].rstrip("+")), key)
    return (1, 0, key)


@dataclass
class Row:
    key: str
    label: str
    point: Point


def allowed_keys(user, breakdown: str) -> set[str] | None:
    """Keys an officer may see in the program / agency / funding breakdowns (None: all)."""
    from bansos.accounts.models import Role
    from bansos.programs.models import FundingSource, Program

    if user.role != Role.OFFICER or breakdown not in (Breakdown.PROGRAM, Breakdown.AGENCY, Breakdown.FUNDING):
        return None
    if breakdown == Breakdown.AGENCY:
        return {str(user.agency_id)} if user.agency_id else set()
    model = Program if breakdown == Breakdown.PROGRAM else FundingSource
    return {str(pk) for pk in model.objects.filter(agency_id=user.agency_id).values_list("pk", flat=True)}


def breakdown_rows(*, user, indicator: Indicator, breakdown: str, period: dt.date,
                   keys: set[str] | None = None) -> list[Row]:
    """One indicator's cells in one breakdown for one month, labelled and sorted."""
    reveal = reveals_small_cells(user)
    qs = SnapshotValue.objects.filter(indicator=indicator, breakdown=breakdown, period=period)
    allowed = allowed_keys(user, breakdown)
    rows = [r for r in qs if (allowed is None or r.key in allowed) and (keys is None or r.key in keys)]
    labels = labels_for(breakdown, [r.key for r in rows])
    rows.sort(key=lambda r: _sort_key(breakdown, r.key))
    return [Row(r.key, labels[r.key], point(r, reveal=reveal)) for r in rows]


def program_mix(*, user, shown: list[dt.date], indicator_code: str = "budget-disbursed",
                keys: set[str] | None = None) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Per month, the indicator's Rupiah by program kind (stacked bars)."""
    from bansos.programs.models import Program, ProgramKind

    indicator = Indicator.objects.filter(code=indicator_code).first()
    if indicator is None or not shown:
        return [], []
    allowed = allowed_keys(user, Breakdown.PROGRAM)
    kinds = {str(pk): kind for pk, kind in Program.objects.values_list("pk", "kind")}
    sums: dict[str, dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    for row in SnapshotValue.objects.filter(indicator=indicator, breakdown=Breakdown.PROGRAM, period__in=shown):
        if (allowed is None or row.key in allowed) and (keys is None or row.key in keys) and row.value:
            sums[kinds.get(row.key, "")][row.period] += row.value
    labels = dict(ProgramKind.choices)
    series = [(str(labels.get(kind, kind)), [sums[kind].get(p, 0.0) for p in shown]) for kind in sorted(sums)]
    return [p.strftime("%Y-%m") for p in shown], series


def boundaries() -> list[tuple[int, dict]]:
    return [(b.rw.number, b.geometry) for b in RWBoundary.objects.select_related("rw").order_by("rw__number")]


def snapshot_list(limit: int = 24):
    return list(Snapshot.objects.order_by("-period")[:limit])
