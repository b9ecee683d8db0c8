"""Making and checking secrets: activation tokens, SMS codes, office codes. Only keyed hashes are stored."""

from __future__ import annotations

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

# No 0/O, 1/I/L: an office code is read from paper and typed on a phone.
OFFICE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
OFFICE_LENGTH = 10


def digest(purpose: str, value: str) -> str:
    return salted_hmac(f"bansos.portal.{purpose}", value, algorithm="sha256").hexdigest()


def matches(purpose: str, value: str, stored: str) -> bool:
    return bool(stored) and constant_time_compare(digest(purpose, value), stored)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_otp() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def new_office_code() -> str:
    return "".join(secrets.choice(OFFICE_ALPHABET) for _ in range(OFFICE_LENGTH))


def normalize_office_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def display_office_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"
