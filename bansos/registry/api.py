"""Registry API. PLACEHOLDER until the API work lands (helper D)."""

from ninja import Router

router = Router(tags=["registry"])
