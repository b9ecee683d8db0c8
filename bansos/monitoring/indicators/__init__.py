"""The registry of indicator computations and of the default indicators.

A computation is a Python function registered under a stable key; an ``Indicator`` row names that key
(``Indicator.computation``), so indicators are data (name, definition, target, params) while the SQL
that produces them lives in code. A computation receives a ``Context`` (the month, the date it is
computed "as of", the indicator's params and the breakdowns asked for) and returns ``Cell`` rows: the
total and one cell per breakdown key, each with numerator, denominator and the number of distinct
households behind it (for small-cell suppression). It must use a few aggregate queries, never a Python
loop over households: the snapshot runs it over a million residents (``bench snapshot``).

Registering from another app is one decorator plus one spec (see ``bansos/monitoring/__init__.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Context:
    period: dt.date  # first day of the month
    as_of: dt.date  # the month's last day, or today for the running month
    params: dict[str, Any]
    breakdowns: tuple[str, ...]  # the indicator's supported breakdowns, "total" always computed

    @property
    def end(self) -> dt.datetime:
        """The first instant after ``as_of`` (Asia/Jakarta): records created before it count."""
        day = self.as_of + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime(day.year, day.month, day.day))

    @property
    def is_past(self) -> bool:
        return self.as_of < timezone.localdate()

    def wants(self, breakdown: str) -> bool:
        return breakdown in self.breakdowns

    def months_back(self, months: int) -> dt.date:
        """The first day of the month ``months`` before this one (a window's start)."""
        index = self.period.year * 12 + self.period.month - 1 - months
        return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Cell:
    breakdown: str  # "total" or a Breakdown value
    key: str  # "" for the total
    numerator: int
    denominator: int | None = None
    households: int | None = None
    # The stored value when it is not a ratio of numerator and denominator (a median): set by the computation.
    value: float | None = None


@dataclass(frozen=True)
class Computation:
    key: str
    func: Callable[[Context], list[Cell]]
    # True: computed from dated records, so a past month is reproduced as it was. False: the figure
    # depends on today's registry (school status, deciles), so a back-filled month says
    # "dihitung dari data saat ini".
    backfill: bool


@dataclass(frozen=True)
class IndicatorSpec:
    """A default indicator: ``indicators_ensure()`` creates it once (never overwrites an admin's edits)."""

    code: str
    name: str
    definition: str
    area: str
    computation: str
    unit: str
    direction: str = "up"
    breakdowns: tuple[str, ...] = ("rw",)
    params: dict[str, Any] = field(default_factory=dict)
    target: float | None = None
    target_date: dt.date | None = None
    order: int = 100


COMPUTATIONS: dict[str, Computation] = {}
DEFAULT_INDICATORS: dict[str, IndicatorSpec] = {}


def computation(key: str, *, backfill: bool) -> Callable[[Callable[[Context], list[Cell]]], Callable]:
    """Register ``func`` as the computation ``key`` (decorator)."""

    def decorate(func: Callable[[Context], list[Cell]]) -> Callable[[Context], list[Cell]]:
        if key in COMPUTATIONS and COMPUTATIONS[key].func is not func:
            raise ValueError(f"computation {key!r} registered twice")
        COMPUTATIONS[key] = Computation(key=key, func=func, backfill=backfill)
        return func

    return decorate


def register_indicator(spec: IndicatorSpec) -> None:
    """Add ``spec`` to the default set that ``indicators_ensure()`` creates."""
    DEFAULT_INDICATORS[spec.code] = spec


def load_builtin() -> None:
    """Import this package's computation modules (they register on import)."""
    from bansos.monitoring.indicators import (  # noqa: F401
        budget, economy, education, health, participation, reach, targeting,
    )
