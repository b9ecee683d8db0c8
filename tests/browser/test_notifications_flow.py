"""Announcements end to end in the browser: the admin writes one on a phone (the audience fields follow the
target), publishes it, and the resident finds it in the inbox, opens it (read) and on the public page.

Screenshots of the pages at phone and desktop width go to /tmp/shots_notifications/.
"""

from __future__ import annotations

import os

import pytest

from bansos.notifications.models import Announcement, Message
from tests.browser.conftest import sign_in, sign_out
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_notifications"


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_name}.png", full_page=True)


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    limit = page.viewport_size["width"]
    assert width <= limit, f"{page.url} scrolls sideways ({width} px > {limit} px)"


def test_an_announcement_reaches_the_residents_inbox(page, live_server, cast, areas):
    from playwright.sync_api import expect

    sign_in(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/pemberitahuan/pengumuman/baru/")
    group = page.locator('.notif-field[data-field="group"]')
    page.locator("#id_target_kind").select_option("kelurahan")
    expect(group).to_be_hidden()
    page.locator("#id_target_kind").select_option("group")
    expect(group).to_be_visible()
    page.locator("#id_target_kind").select_option("rw")
    page.locator("#id_rw").select_option(str(areas["rw1"].pk))
    page.get_by_label("Judul").fill("Kerja bakti Minggu")
    page.get_by_label("Isi pengumuman").fill("Kerja bakti membersihkan saluran air, Minggu pukul 07.00.")
    _no_sideways_scroll(page)
    _shot(page, "announcement-form")
    page.get_by_role("button", name="Simpan draf").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Terbitkan").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messages")).to_contain_text("Pengumuman diterbitkan ke 2 keluarga.")
    expect(page.locator("table.notif-reach")).to_contain_text("RW 01")
    _no_sideways_scroll(page)
    _shot(page, "announcement-detail")
    page.goto(f"{live_server.url}/pemberitahuan/outbox/")
    _no_sideways_scroll(page)
    _shot(page, "outbox")
    sign_out(page)

    sign_in(page, live_server, "resident", PASSWORD)
    page.goto(f"{live_server.url}/pemberitahuan/kotak-pesan/")
    expect(page.locator(".notif-inbox")).to_contain_text("Kerja bakti Minggu")
    expect(page.locator(".notif-unread")).to_have_count(1)
    _no_sideways_scroll(page)
    _shot(page, "inbox")
    page.get_by_role("link", name="Kerja bakti Minggu").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("article")).to_contain_text("saluran air")
    _shot(page, "inbox-message")
    ann = Announcement.objects.get()
    message = Message.objects.get(reference=ann.reference, household=cast["households"]["rw1"])
    assert message.status == "read" and message.read_at is not None
    page.goto(f"{live_server.url}/pemberitahuan/info/")
    expect(page.locator(".notif-inbox")).to_contain_text("Kerja bakti Minggu")
    _no_sideways_scroll(page)
    _shot(page, "public")
