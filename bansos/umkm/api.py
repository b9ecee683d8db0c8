"""API of the umkm app."""

from ninja import Router

router = Router(tags=["umkm"])
