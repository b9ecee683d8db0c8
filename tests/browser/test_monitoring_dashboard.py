"""The evaluator opens the monitoring dashboard on a phone and a desktop: indicator cards with trend lines,
the per-RW bars and the RW map are drawn (server-side SVG), small cells are hidden, nothing scrolls sideways.
Screenshots go to /tmp/shots_monitoring/."""

from __future__ import annotations

import os

import pytest

from bansos.core.models import RW
from bansos.monitoring.demo import demo_geojson
from bansos.monitoring.services import boundaries_load, snapshot_run
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.monitoring.conftest import known, month_before, this_month  # noqa: F401  (fixture)
from tests.programs.conftest import enrol, make_program, source  # noqa: F401  (fixtures of known)

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_monitoring"


def test_the_evaluator_sees_the_dashboard_charts(page, live_server, cast, known):  # noqa: F811
    boundaries_load(actor=cast["admin"], text=demo_geojson(list(RW.objects.values_list("number", flat=True)), 1))
    for back in (2, 1, 0):
        snapshot_run(actor=None, period=month_before(this_month(), back))
    sign_in(page, live_server, "evaluator", PASSWORD)
    page.goto(f"{live_server.url}/pemantauan/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".mon-card svg.mon-chart").count() >= 14  # a trend chart on every card
    assert page.locator("svg.mon-chart polyline").count() >= 3  # budget lines (the 3-household cells are hidden)
    assert page.locator("#per-rw svg.mon-chart rect").count() >= 1  # bars per RW
    assert page.locator("svg.mon-map path").count() == 2  # two RWs on the map
    assert page.get_by_text("disembunyikan").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/overview-{page.viewport_name}.png", full_page=True)
    page.goto(f"{live_server.url}/pemantauan/rw/1/")
    page.wait_for_load_state("networkidle")
    assert page.locator("svg.mon-chart").count() > 5
