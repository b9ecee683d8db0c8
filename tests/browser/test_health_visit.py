"""A posyandu cadre on a 360 px phone (and desktop): opens this month's session, records a child's weight and
length, and reads the z-scores and classifications; the child's growth chart is drawn. Screenshots go to
/tmp/shots_health/."""

from __future__ import annotations

import os

import pytest

from bansos.health.models import ChildVisit
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.health.conftest import kid, months_ago, session_at  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_health"


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_name}.png", full_page=True)


def test_a_cadre_records_a_visit_on_a_phone(page, live_server, cast, kid, session_at):
    from bansos.health.services import visit_record

    child = kid(days=420, name="Putri Ayu Lestari", sex="P")
    # Earlier months, so the chart has a line and the history rows.
    for months, weight, length in ((3, "8.6", "72.0"), (2, "8.8", "73.0"), (1, "9.0", "74.1")):
        visit_record(actor=cast["cadre"], session=session_at(months), child=child,
                     data={"weight_kg": weight, "length_cm": length, "position": "lying",
                           "visit_date": months_ago(months).isoformat()})
    sign_in(page, live_server, "cadre", PASSWORD)
    page.goto(f"{live_server.url}/kesehatan/")
    page.wait_for_load_state("networkidle")
    _shot(page, "posyandu")
    page.get_by_role("button", name="Buka sesi").click()
    page.wait_for_load_state("networkidle")
    _shot(page, "session")
    page.locator(".health-roster-row", has_text="PUTRI AYU LESTARI").get_by_role("link", name="Ukur").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Berat badan (kg)").fill("9,2")
    page.get_by_label("Panjang/tinggi badan (cm)").fill("75,0")
    page.get_by_label("Berbaring (panjang badan)").check()
    page.get_by_label("Campak/MR", exact=True).check()
    _shot(page, "visit-form")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Pengukuran disimpan.").is_visible()
    assert page.get_by_text("Gizi baik (normal)").first.is_visible()
    _shot(page, "visit-result")
    visit = ChildVisit.objects.get(child=child, session__month=months_ago(0).replace(day=1))
    assert str(visit.weight_kg) == "9.20" and visit.immunizations == ["MR1"]
    # No horizontal scrolling on the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.get_by_role("link", name="Grafik pertumbuhan").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("svg circle.child-point").count() == 8  # 4 visits on each of the two charts
    _shot(page, "child")
