"""Health data inside pages that others may open: the household page and its history (page and API).

The matrix checks who may open a route; here the household of the in-scope resident holds a toddler with a
visit and a referral whose facility is ``HEALTH_MARKER``. The household page, its history and the history
API show the health record to the kelurahan admin and the area's cadre only; the officer, the surveyor and
the resident of that very household (a parent) see the household but not its health data.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.world import HEALTH_MARKER

SEES_HEALTH = {"admin": True, "cadre": True, "officer": False, "surveyor": False, "resident": False}


def _pages(world):
    household = world.id("household")
    return {"page": reverse("registry:household_detail", kwargs={"pk": household}),
            "history api": f"/api/households/{household}/history"}


@pytest.mark.parametrize("who", sorted(SEES_HEALTH))
def test_household_health_data_only_for_health_roles(world, db, who):
    client = world.client(world.user(who, "household"))
    for label, url in _pages(world).items():
        response = client.get(url)
        assert response.status_code == 200, f"{label} as {who}: {response.status_code}"
        shown = HEALTH_MARKER in response.content.decode()
        assert shown == SEES_HEALTH[who], f"{label} as {who}: health record {'shown' if shown else 'hidden'}"
