"""Maker and checker of a cash cycle in the browser (desktop and 360 px phone).

The dinsos officer opens the cash overview, creates the March cycle of the program, and generates its
list of recipients; the kelurahan admin finds the cycle in the approval queue and approves it.
Screenshots of the overview and the cycle page go to /tmp/shots_cash/.
"""

from __future__ import annotations

import os
import re

import pytest

from bansos.cash.models import Cycle, CycleState
from tests.browser.conftest import sign_in
from tests.cash.conftest import (  # noqa: F401  (fixtures of the cash tests, used here too)
    bank, cash_world, enrol, households, make_program, source,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_cash"


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_name}.png", full_page=True)


def _go(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _click(page, role: str, name) -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state("networkidle")


def test_the_officer_makes_a_cycle_and_the_admin_approves_it(page, live_server, cast, cash_world):
    program, enrollments = cash_world(3, amount_rule="components", flat_amount=0, per_child_smp=300_000,
                                       per_child_sma=400_000, per_under_five=150_000, household_cap=500_000)
    url = live_server.url

    # The maker: overview -> the program's cycles -> a new March cycle -> its list of recipients.
    sign_in(page, live_server, "officer", PASSWORD)
    _go(page, f"{url}/")
    _click(page, "link", "Bantuan tunai")
    assert page.get_by_role("heading", name="Bantuan tunai").is_visible()
    _click(page, "link", program.name)
    page.get_by_label("Bulan").select_option("2026-03-01")
    _click(page, "button", "Buat siklus")
    assert page.get_by_text("Siklus Maret 2026 dibuat.").is_visible()
    cycle = Cycle.objects.get(program=program)
    assert cycle.state == CycleState.DRAFT
    _click(page, "button", "Buat daftar penerima")
    assert page.get_by_text(re.compile(r"Daftar penerima dibuat: 3 penerima")).is_visible()
    assert page.get_by_text("Menunggu persetujuan admin kelurahan.", exact=False).is_visible()
    assert page.get_by_role("button", name="Setujui siklus").count() == 0
    # The amount of a family is explained on demand.
    page.locator("details.breakdown summary").first.click()
    assert page.locator("details.breakdown[open] li").first.is_visible()
    _go(page, f"{url}/bantuan-tunai/")
    _shot(page, "overview-officer")

    # The checker: the approval queue on the overview -> the cycle -> approve.
    page.context.clear_cookies()
    sign_in(page, live_server, "admin", PASSWORD)
    _go(page, f"{url}/bantuan-tunai/")
    queue = page.locator("#menunggu-persetujuan")
    assert queue.get_by_text("Maret 2026").is_visible()
    _shot(page, "overview-admin")
    queue.get_by_role("link", name=re.compile("Maret 2026")).click()
    page.wait_for_load_state("networkidle")
    _click(page, "button", "Setujui siklus")
    assert page.get_by_text(re.compile(r"Siklus Maret 2026 disetujui: 3 penerima")).is_visible()
    cycle.refresh_from_db()
    assert (cycle.state, cycle.generated_by_id, cycle.approved_by_id) == (
        CycleState.APPROVED, cast["officer"].pk, cast["admin"].pk)
    _shot(page, "cycle-detail")
    # Nothing of the page is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    # The household page tells the family's entitlement and its account.
    _go(page, f"{url}/registri/keluarga/{enrollments[0].household_id}/")
    panel = page.locator("#bantuan-tunai")
    assert panel.get_by_text("Dijadwalkan").is_visible()
    assert panel.get_by_text("1234500000").is_visible()
    os.makedirs(SHOTS, exist_ok=True)
    panel.screenshot(path=f"{SHOTS}/household-panel-{page.viewport_name}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
