"""The household page's kemandirian panel in the browser (desktop and 360 px phone): the trajectory line
with its threshold, the components, and the resident's own portal section. Screenshots go to /tmp/shots_selfreliance/.
"""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_selfreliance"


def _months(n: int):
    from bansos.selfreliance.services.graduation import months_back

    last = timezone.localdate().replace(day=1)
    return [months_back(last, n - 1 - i) for i in range(n)]


@pytest.mark.django_db(transaction=True)
def test_the_household_page_draws_the_trajectory(page, live_server, cast):
    from bansos.selfreliance.models import IndexScore
    from bansos.selfreliance.services.index import index_compute_month, index_default_model

    h = cast["households"]["rw1"]
    model = index_default_model()
    months = _months(6)
    for month in months:
        index_compute_month(actor=None, month=month)
    # Vary the line so the chart has a shape: the score climbs over the months.
    for i, month in enumerate(months):
        IndexScore.objects.filter(household=h, month=month).update(score=40 + 8 * i)

    sign_in(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/registri/keluarga/{h.pk}/")
    page.wait_for_load_state("networkidle")
    panel = page.locator("#kemandirian")
    panel.scroll_into_view_if_needed()
    assert panel.locator("polyline.sr-line").count() == 1
    assert panel.locator("circle.sr-dot").count() == 6
    assert panel.locator("line.sr-threshold").count() == 1
    assert panel.locator(".sr-components li").count() == 7
    assert panel.locator(".sr-score").inner_text() == "80"
    # The chart fits the panel on a phone (no horizontal overflow).
    box, svg = panel.bounding_box(), panel.locator("svg.sr-svg").bounding_box()
    assert svg["width"] > 200 and svg["x"] + svg["width"] <= box["x"] + box["width"] + 1
    assert model.threshold == 70
    os.makedirs(SHOTS, exist_ok=True)
    panel.screenshot(path=f"{SHOTS}/household-panel-{page.viewport_name}.png")
    # The admin sees the growth component's value (health data); the line's points are numbers.
    points = panel.locator("polyline.sr-line").get_attribute("points")
    assert "," in points and all(float(c) >= 0 for p in points.split() for c in p.split(","))
