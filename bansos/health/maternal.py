"""Pregnancy arithmetic and risk rules, pure functions (no database): Naegele's expected delivery date,
gestational age, trimesters, the antenatal visit schedule and the risk flags.

The schedule is Kemenkes 2020 (Buku KIA): at least six antenatal visits, two in the first trimester, one in
the second and three in the third. It is data (``SCHEDULE``), so a change of guideline is a change of table.
A trimester's visits are due by its end: a pregnancy falls short when a trimester it has completed holds
fewer visits than the table asks; the trimester it is in is not yet short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from bansos.core.formats import age_on

NAEGELE_DAYS = 280  # LMP + 280 days (40 weeks)
MAX_GESTATION_DAYS = 44 * 7  # beyond 44 weeks a "pregnancy" is a data error
MUAC_KEK_CM = Decimal("23.5")  # MUAC below 23.5 cm: chronic energy deficiency (KEK); 23.5 exactly is not
BP_SYSTOLIC_HIGH = 140  # >= 140 mmHg systolic or >= 90 diastolic: high blood pressure
BP_DIASTOLIC_HIGH = 90
HB_ANAEMIA = Decimal("11")  # Hb below 11 g/dL in pregnancy: anaemia (WHO)
AGE_YOUNG = 20  # younger than 20 at the start of the pregnancy ("terlalu muda")
AGE_OLD = 35  # older than 35 ("terlalu tua")


@dataclass(frozen=True)
class Trimester:
    number: int
    first_week: int  # completed weeks of gestation, inclusive
    last_week: int | None  # inclusive; None: until delivery
    min_visits: int  # Kemenkes 2020 minimum in this trimester
    interval_days: int  # the usual gap between visits in this trimester (for the next expected visit)


SCHEDULE: tuple[Trimester, ...] = (
    Trimester(1, 0, 12, 2, 28),
    Trimester(2, 13, 27, 1, 28),
    Trimester(3, 28, None, 3, 14),
)
MIN_VISITS_TOTAL = sum(t.min_visits for t in SCHEDULE)  # 6


def edd_from_lmp(lmp: dt.date) -> dt.date:
    """Naegele's rule: the expected delivery date is 280 days after the first day of the last period."""
    return lmp + dt.timedelta(days=NAEGELE_DAYS)


def gestational_days(lmp: dt.date, on: dt.date) -> int:
    return (on - lmp).days


def gestational_label(days: int) -> str:
    """"12 minggu 3 hari" for the pages."""
    weeks, rest = divmod(days, 7)
    if rest:
        return str(_("%(w)s minggu %(d)s hari") % {"w": weeks, "d": rest})
    return str(_("%(w)s minggu") % {"w": weeks})


def trimester_of(days: int) -> Trimester:
    weeks = days // 7
    for t in SCHEDULE:
        if t.last_week is None or weeks <= t.last_week:
            return t
    return SCHEDULE[-1]


def visit_flags(*, muac_cm: Decimal | None, systolic: int | None, diastolic: int | None,
                hb_g_dl: Decimal | None) -> dict[str, bool]:
    """The risk flags of one antenatal measurement."""
    return {
        "kek": muac_cm is not None and muac_cm < MUAC_KEK_CM,
        "high_bp": (systolic is not None and systolic >= BP_SYSTOLIC_HIGH)
        or (diastolic is not None and diastolic >= BP_DIASTOLIC_HIGH),
        "anaemia": hb_g_dl is not None and hb_g_dl < HB_ANAEMIA,
    }


@dataclass
class Shortfall:
    trimester: int
    required: int
    done: int


def visits_per_trimester(lmp: dt.date, visit_dates: Iterable[dt.date]) -> dict[int, int]:
    counts = {t.number: 0 for t in SCHEDULE}
    for d in visit_dates:
        counts[trimester_of(gestational_days(lmp, d)).number] += 1
    return counts


def schedule_shortfall(lmp: dt.date, visit_dates: Iterable[dt.date], on: dt.date, *,
                       delivered: bool = False) -> list[Shortfall]:
    """The completed trimesters (all of them once delivered) that hold fewer visits than the schedule asks."""
    counts = visits_per_trimester(lmp, visit_dates)
    weeks = gestational_days(lmp, on) // 7
    short = []
    for t in SCHEDULE:
        completed = delivered or (t.last_week is not None and weeks > t.last_week)
        if completed and counts[t.number] < t.min_visits:
            short.append(Shortfall(t.number, t.min_visits, counts[t.number]))
    return short


def next_visit_due(lmp: dt.date, visit_dates: list[dt.date], on: dt.date) -> dt.date:
    """When the next antenatal visit is expected: the last visit plus the usual gap of the current trimester,
    no later than the end of a trimester that still lacks visits; today when none is recorded or it is overdue
    (the page shows an overdue date as such)."""
    if not visit_dates:
        return on
    last = max(visit_dates)
    current = trimester_of(gestational_days(lmp, on))
    due = last + dt.timedelta(days=current.interval_days)
    counts = visits_per_trimester(lmp, visit_dates)
    if current.last_week is not None and counts[current.number] < current.min_visits:
        trimester_end = lmp + dt.timedelta(days=(current.last_week + 1) * 7 - 1)
        due = min(due, trimester_end)
    return due


RISK_LABELS = {
    "kek": _("KEK: LiLA di bawah 23,5 cm"),
    "high_bp": _("Tekanan darah tinggi (≥ 140/90)"),
    "anaemia": _("Anemia: Hb di bawah 11 g/dL"),
    "young": _("Umur ibu di bawah 20 tahun"),
    "old": _("Umur ibu di atas 35 tahun"),
    "visits": _("Kunjungan kurang dari jadwal"),
}


def pregnancy_flags(*, mother_birth: dt.date, lmp: dt.date, visits: list, on: dt.date,
                    delivered: bool = False) -> list[str]:
    """The risk flag codes of a pregnancy: the latest measured value of each, the mother's age at the start of
    the pregnancy, and the visit schedule. ``visits`` are antenatal visits (objects with the stored flags)."""
    flags = []
    ordered = sorted(visits, key=lambda v: v.visit_date)
    for code, measured in (("kek", lambda v: v.muac_cm is not None),
                           ("high_bp", lambda v: v.systolic is not None or v.diastolic is not None),
                           ("anaemia", lambda v: v.hb_g_dl is not None)):
        latest = next((v for v in reversed(ordered) if measured(v)), None)
        if latest is not None and getattr(latest, code):
            flags.append(code)
    age = age_on(mother_birth, lmp)
    if age < AGE_YOUNG:
        flags.append("young")
    elif age > AGE_OLD:
        flags.append("old")
    if schedule_shortfall(lmp, [v.visit_date for v in ordered], on, delivered=delivered):
        flags.append("visits")
    return flags
