"""Errors and input checks shared by the portal services."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from bansos.core.errors import DomainError, Errors
from bansos.portal import throttle
from bansos.portal.conf import limits

MSG_THROTTLED = _("Terlalu banyak percobaan. Silakan coba lagi nanti.")
MSG_REQUIRED = _("Wajib diisi.")
MSG_NIK = _("NIK terdiri dari 16 angka.")
MSG_KK = _("Nomor KK terdiri dari 16 angka.")
MSG_DATE = _("Tanggal lahir tidak valid.")


class Throttled(DomainError):
    """Too many attempts from this address or for this NIK; answered 429 and counted nothing else."""

    status = 429

    def __init__(self) -> None:
        super().__init__("throttled", MSG_THROTTLED)


def digits(errors: Errors, name: str, value, message) -> str:
    text = "".join((value or "").split()) if isinstance(value, str) else ""
    if not text:
        errors.add(name, MSG_REQUIRED)
    elif len(text) != 16 or not text.isdigit():
        errors.add(name, message)
    return text


def birth_date(errors: Errors, value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        errors.add("birth_date", MSG_REQUIRED if value in (None, "") else MSG_DATE)
        return None
    return value


def require_within(prefix: str, *, ip: str | None, nik: str | None, per_ip: int, per_nik: int | None) -> None:
    """Count this attempt against the address and the NIK; raise Throttled when either is over its limit."""
    window = limits().window_s
    keys = [(f"{prefix}:ip:{ip or '-'}", per_ip)]
    if nik and per_nik is not None:
        keys.append((f"{prefix}:nik:{throttle.nik_key(nik)}", per_nik))
    if not throttle.hit_all(keys, window_s=window):
        raise Throttled()
