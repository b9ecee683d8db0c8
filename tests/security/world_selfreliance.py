"""Objects of the selfreliance app for the authorization world."""

from __future__ import annotations


def add_kinds(w, admin, h, h2, pos, pos2) -> None:
    """Adds this app's kinds to ``w.kinds`` (see ``world.Kind``)."""
