"""API of the selfreliance app."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["selfreliance"])
