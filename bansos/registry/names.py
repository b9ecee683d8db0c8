"""Name cleaning and the search key used for prefix search."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_KEY = re.compile(r"[^A-Z0-9 ]+")


def clean_name(value: str) -> str:
    """A person's name as stored: single spaces, upper case as printed on the KK."""
    return _SPACES.sub(" ", str(value)).strip().upper()


def name_key(value: str) -> str:
    """Upper-case ASCII letters, digits and single spaces: what prefix search compares."""
    text = str(value)
    if not text.isascii():  # NFKD leaves ASCII as it is: skip it for the common case
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.upper()
    text = _NOT_KEY.sub(" ", text.replace("'", "").replace("`", ""))
    return _SPACES.sub(" ", text).strip()
