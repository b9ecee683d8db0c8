"""API of the community app."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["community"])
