"""Bugs the fuzzing found and that are not fixed yet: (user, mode, METHOD, path) -> the exact case.

``user`` is "admin", "officer" or "*"; ``mode`` is "valid" (requests that match the schema),
"invalid" (requests that break it) or "*".

Each entry turns its test into ``xfail(strict=True)``: once the bug is fixed the test passes,
the strict xfail fails, and the entry must go.
"""

from __future__ import annotations

BUGS: dict[tuple[str, str, str, str], str] = {}


def known_bug(who: str, mode: str, method: str, path: str) -> str | None:
    for key in ((who, mode), (who, "*"), ("*", mode), ("*", "*")):
        reason = BUGS.get((*key, method, path))
        if reason:
            return f"BUG: {reason}"
    return None
