"""Month labels for the index pages and charts."""

from __future__ import annotations

import datetime as dt

from bansos.core.formats import _month_name


def month_label(month: dt.date, *, short: bool = False) -> str:
    name = _month_name(month.month)
    return f"{name[:3]} {month:%y}" if short else f"{name} {month.year}"


def parse_month(text: str | None) -> dt.date | None:
    """``YYYY-MM`` as the month's first day; None when empty or malformed."""
    text = (text or "").strip()
    try:
        year, month = text.split("-")
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        return None
