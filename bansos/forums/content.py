"""Checks on what people write in the forums: lengths, and no personal data of others.

A forum post is read by a whole RW (or a program's participants), so it must never carry someone's
NIK or KK number (both 16 digits, often written in groups: "3173 0512 3456 0001", "3173.05...") or
a mobile phone number. We cannot tell whose number it is, so every such number is refused, with a
message saying why; a resident who needs to share one uses a grievance or the kelurahan office.
Staff may write a phone number (an office hotline); NIK/KK-like numbers are refused for everyone.

The text is stored as written and escaped when shown (Django templates, JSON), so HTML in a post is
shown as text, never run.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from bansos.core.errors import Errors

TITLE_MIN, TITLE_MAX = 5, 150
BODY_MIN, BODY_MAX = 10, 2000
REPLY_MIN, REPLY_MAX = 2, 2000
REASON_MIN, REASON_MAX = 5, 300
COMMENT_MAX = 1000

# 16 digits with optional single separators (space, dot, dash, slash) between them, not part of a longer number.
_SEP = r"[\s.\-/]?"
NIK_LIKE = re.compile(r"(?<![\d])\d(?:" + _SEP + r"\d){15}(?![\d])")
# Indonesian mobile numbers: 08xx, +628xx or 628xx, 10-13 digits in all, separators allowed.
PHONE_LIKE = re.compile(r"(?<![\d+])(?:\+?62|0)" + _SEP + r"8(?:" + _SEP + r"\d){7,11}(?![\d])")
# Control characters other than tab and newline (a NUL cannot be stored by PostgreSQL).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

MSG_REQUIRED = _("Wajib diisi.")
MSG_TOO_SHORT = _("Paling sedikit %(min)s karakter.")
MSG_TOO_LONG = _("Paling banyak %(max)s karakter.")
MSG_NIK = _("Jangan menulis NIK atau nomor KK (16 angka) di forum: tulisan ini dibaca banyak orang. "
            "Hapus nomor itu; untuk urusan data pribadi gunakan pengaduan atau datang ke kantor kelurahan.")
MSG_PHONE = _("Jangan menulis nomor HP di forum: tulisan ini dibaca banyak orang. Hapus nomor itu.")
MSG_CONTROL = _("Teks berisi karakter yang tidak diizinkan.")


def contains_nik_like(value: str) -> bool:
    return bool(NIK_LIKE.search(value or ""))


def contains_phone(value: str) -> bool:
    return bool(PHONE_LIKE.search(value or ""))


def clean_text(errors: Errors, field: str, value, *, low: int, high: int, required: bool = True,
               personal_data: bool = True, phones: bool = True) -> str:
    """The stripped text of ``field``, with its problems added to ``errors``.

    ``personal_data``: refuse NIK/KK-like numbers; ``phones``: refuse mobile numbers too.
    """
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    text = text.replace("\r\n", "\n").strip()
    if not text:
        if required:
            errors.add(field, MSG_REQUIRED)
        return ""
    if _CONTROL.search(text):
        errors.add(field, MSG_CONTROL)
    elif len(text) < low:
        errors.add(field, MSG_TOO_SHORT, min=low)
    elif len(text) > high:
        errors.add(field, MSG_TOO_LONG, max=high)
    elif personal_data and contains_nik_like(text):
        errors.add(field, MSG_NIK)
    elif phones and contains_phone(text):
        errors.add(field, MSG_PHONE)
    return text
