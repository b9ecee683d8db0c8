"""API of the linkage app."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["linkage"])
