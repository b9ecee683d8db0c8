"""Delivery of queued messages through the configured channels (implemented by the notifications work)."""

from __future__ import annotations


def deliver_due() -> int:
    """Delivers every queued message whose attempt is due; returns how many were tried."""
    return 0
