"""School years and months (the Indonesian school year runs from July to June)."""

from __future__ import annotations

import datetime as dt
import re

YEAR_RE = re.compile(r"^(\d{4})/(\d{4})$")


def school_year_of(day: dt.date) -> str:
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}/{start + 1}"


def valid_school_year(value: str) -> bool:
    m = YEAR_RE.match(value or "")
    return bool(m) and int(m.group(2)) == int(m.group(1)) + 1 and 2000 <= int(m.group(1)) <= 2100


def year_months(school_year: str) -> list[dt.date]:
    start = int(school_year[:4])
    return [dt.date(start + (m < 7), m, 1) for m in (7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6)]


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def parse_month(value) -> dt.date | None:
    """A month from "2026-09", "09/2026" or a date; None when it is not one."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    for pattern, order in ((r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$", "ym"), (r"^(\d{1,2})[/-](\d{4})$", "my")):
        m = re.match(pattern, text)
        if m:
            y, mo = (m.group(1), m.group(2)) if order == "ym" else (m.group(2), m.group(1))
            try:
                return dt.date(int(y), int(mo), 1)
            except ValueError:
                return None
    return None
