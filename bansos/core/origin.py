"""Where the current action comes from (web, API, CLI, task), for audit events.

Held in a context variable so that services can record it without every caller passing it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

_origin: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("bansos_origin", default=None)


def current_origin() -> dict[str, Any]:
    return dict(_origin.get() or {"channel": "system"})


@contextlib.contextmanager
def origin(**values: Any) -> Iterator[None]:
    token = _origin.set({k: v for k, v in values.items() if v not in (None, "")})
    try:
        yield
    finally:
        _origin.reset(token)


def client_ip(request) -> str | None:
    # Behind a proxy the deployment sets REMOTE_ADDR correctly (see README); we do not trust
    # X-Forwarded-For blindly because anyone can send it.
    return request.META.get("REMOTE_ADDR")
