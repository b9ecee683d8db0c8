"""Input checks shared by the community services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.errors import DomainError
from bansos.core.formats import tanggal

MSG_REQUIRED = _("Wajib diisi.")
MSG_TOO_LONG = _("Paling banyak %(max)s karakter.")
MSG_TOO_SHORT = _("Tuliskan paling sedikit %(min)s karakter supaya petugas dapat memahaminya.")
MSG_INVALID_CHOICE = _("Pilihan tidak valid.")
MSG_DATE_FUTURE = _("Tanggal cek lapangan tidak boleh di masa depan.")
MSG_CASE_CLOSED = _("Usul/sanggah ini sudah diputuskan; tidak dapat diubah lagi.")
MSG_CHECK_FIRST = _("Catat hasil cek lapangan sebelum memutuskan.")

REASON_MIN = 10


def text(value, *, field: str, limit: int, minimum: int = 1) -> str:
    """Stripped text, or a DomainError on ``field`` when empty, too short or too long."""
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        raise DomainError("required", MSG_REQUIRED, field=field)
    if len(value) < minimum:
        raise DomainError("too_short", MSG_TOO_SHORT, field=field, min=minimum)
    if len(value) > limit:
        raise DomainError("too_long", MSG_TOO_LONG, field=field, max=limit)
    return value


def field_date(value) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise DomainError("required", MSG_REQUIRED, field="field_date")
    if value > today():
        raise DomainError("date_future", MSG_DATE_FUTURE, field="field_date")
    return value


def today() -> dt.date:
    return timezone.localdate()


def day(value: dt.date | None) -> str:
    return tanggal(value) if value else ""
