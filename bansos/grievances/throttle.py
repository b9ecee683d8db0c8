"""A small fixed-window throttle on Django's cache, for the public grievance pages.

Per-process with the default local-memory cache; a deployment with several app servers configures a
shared cache (Redis, database) and the limits then hold across them.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from bansos.core.origin import client_ip

# name -> (attempts, window in seconds)
LIMITS = {
    "file": (5, 3600),  # public filings per client per hour
    "answer": (10, 3600),  # accept/appeal attempts with a phone, per tracking code per hour
    "track": (60, 600),  # status look-ups per client per 10 minutes
}


def hit(name: str, key: str) -> bool:
    """Count one attempt; False when the limit of the current window is already reached."""
    limit, window = LIMITS[name]
    slot = int(time.time() // window)
    cache_key = f"grv-throttle:{name}:{key}:{slot}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def client(request) -> str:
    return client_ip(request) or "unknown"
