"""Certificate verification codes: a random part and a keyed checksum.

A code is ``RRRRRRRR`` (40 random bits in base32) followed by ``CCCC``: the first four base32
characters of an HMAC of the random part under the SECRET_KEY. A mistyped or forged code fails the
checksum and is answered "not valid" without a database lookup; only a code that passes is looked
up. Codes are shown in groups of four (``ABCD-EFGH-WXYZ``); dashes, spaces and case are ignored.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets

from django.utils.crypto import salted_hmac

RANDOM_CHARS = 8  # 40 bits
CHECK_CHARS = 4  # 20 bits: a random guess passes the checksum once in about a million
CODE_LENGTH = RANDOM_CHARS + CHECK_CHARS
_SALT = "bansos.training.certificate"
_VALID = re.compile(r"^[A-Z2-7]+$")


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _checksum(random_part: str) -> str:
    return _b32(salted_hmac(_SALT, random_part, algorithm="sha256").digest())[:CHECK_CHARS]


def new_code() -> str:
    random_part = _b32(secrets.token_bytes(5))[:RANDOM_CHARS]
    return random_part + _checksum(random_part)


def normalize(text: str) -> str:
    """What the user typed or scanned, as stored: upper case, without dashes or spaces."""
    return re.sub(r"[\s\-]", "", (text or "")).upper()[:64]


def checksum_ok(code: str) -> bool:
    """Whether a normalized code carries a valid checksum (no database access)."""
    if len(code) != CODE_LENGTH or not _VALID.match(code):
        return False
    return hmac.compare_digest(_checksum(code[:RANDOM_CHARS]), code[RANDOM_CHARS:])


def display(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def initials(full_name: str) -> str:
    """``Sri Wahyuni`` -> ``S. W.`` (at most three initials: nothing more of the name is shown)."""
    words = [w for w in re.split(r"[\s.]+", full_name or "") if w and w[0].isalpha()]
    return " ".join(f"{w[0].upper()}." for w in words[:3])
