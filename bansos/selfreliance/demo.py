"""Demo data of the selfreliance app, made through its services."""

from __future__ import annotations

from typing import Any


def demo_selfreliance_create(*, actor, seed: int) -> dict[str, Any] | None:
    """Creates the app's demo data once; None when it exists already."""
    return None
