"""Bugs the fuzzing found and that are not fixed yet: (user, METHOD, path) -> the exact case.

Each entry turns its test into ``xfail(strict=True)``: once the bug is fixed the test passes,
the strict xfail fails, and the entry must go.
"""

from __future__ import annotations

BUGS: dict[tuple[str, str, str], str] = {}


def known_bug(who: str, method: str, path: str) -> str | None:
    reason = BUGS.get((who, method, path)) or BUGS.get(("*", method, path))
    return f"BUG: {reason}" if reason else None
