"""Money, date and masking helpers shared by pages, exports and the API."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def _month_name(month: int) -> str:
    # Day-month-year order is kept in English too ("17 August 2025"): unambiguous, and the
    # same layout as the Indonesian pages that officers compare it with.
    language = translation.get_language() or ""
    return (MONTHS_EN if language.startswith("en") else MONTHS_ID)[month - 1]


def rupiah(amount: int | None) -> str:
    """Format an integer Rupiah amount as ``Rp 300.000`` (dot as thousands separator)."""
    if amount is None:
        return "-"
    if isinstance(amount, float):
        raise TypeError("money is an integer number of Rupiah, never a float")
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(int(amount)):,}".replace(",", ".")


def tanggal(value: dt.date | dt.datetime | None, *, with_time: bool = False) -> str:
    """Format a date as ``17 Agustus 2025`` (``17 August 2025`` in English); times in Asia/Jakarta."""
    if value is None:
        return "-"
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        text = f"{local.day} {_month_name(local.month)} {local.year}"
        return f"{text} {local:%H:%M}" if with_time else text
    return f"{value.day} {_month_name(value.month)} {value.year}"


def mask_nik(nik: str | None) -> str:
    """Show the region part and the serial, hide the birth date: ``317305********0001``."""
    if not nik:
        return ""
    if len(nik) != 16:
        return "*" * len(nik)
    return nik[:6] + "*" * 6 + nik[12:]


def age_on(birth_date: dt.date | None, on: dt.date) -> int | None:
    if birth_date is None:
        return None
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
