"""A fixed-window request counter in the database (``ThrottleCount``).

Why not django-ratelimit or the cache: the deployment configures no shared cache (Django's default is a
per-process memory cache, so each app server would count on its own and a restart would forget), and
DESIGN.md wants app servers without state. One conditional UPDATE per hit is cheap on both databases.
The counter is written in its own transaction, so a refused or failing request still counts.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from bansos.portal.models import ThrottleCount


def nik_key(nik: str) -> str:
    """A keyed hash of a NIK for throttle keys: no NIK is stored in the counters."""
    return salted_hmac("bansos.portal.throttle", nik, algorithm="sha256").hexdigest()[:32]


def _window_start(now: dt.datetime, window_s: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % window_s, tz=dt.UTC)


def hit(key: str, *, limit: int, window_s: int) -> bool:
    """Count one request under ``key``; False when it is beyond ``limit`` in the current window."""
    start = _window_start(timezone.now(), window_s)
    with transaction.atomic():
        rows = ThrottleCount.objects.filter(key=key, window_start=start)
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    ThrottleCount.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another request created it a moment ago
                rows.update(count=F("count") + 1)
        count = rows.values_list("count", flat=True).get()
    return count <= limit


def hit_all(keys: list[tuple[str, int]], *, window_s: int) -> bool:
    """Count every key (so each limit sees every attempt) and say whether all are within their limit."""
    results = [hit(key, limit=limit, window_s=window_s) for key, limit in keys]
    return all(results)


def prune(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Delete counters of windows long past (called by the activation service now and then)."""
    deleted, _ = ThrottleCount.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted
