"""Grievances in the browser: a resident files one on a phone (360x740); staff take it from the queue through
assignment, a response and the resolution (desktop and phone). Screenshots go to /tmp/shots_grievances/."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from bansos.grievances.models import Grievance, State
from tests.browser.conftest import VIEWPORTS, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_grievances"


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_name}.png", full_page=True)


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_resident_files_a_grievance_on_a_phone(browser, live_server, cast):
    from playwright.sync_api import expect

    cache.clear()
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.viewport_name = "phone"
    try:
        sign_in(page, live_server, "resident", PASSWORD)
        page.goto(f"{live_server.url}/pengaduan/lapor/")
        _no_horizontal_scroll(page)
        page.get_by_label("Kategori").select_option("aid_not_received")
        page.get_by_label("Judul singkat").fill("Bantuan bulan Maret belum sampai")
        page.get_by_label("Uraian").fill("Sudah dua minggu bantuan belum masuk ke rekening.")
        _shot(page, "file")
        page.get_by_role("button", name="Kirim pengaduan").click()
        page.wait_for_load_state("networkidle")
        g = Grievance.objects.get()
        expect(page.locator(".msg-success")).to_contain_text("Kode lacak")
        expect(page.locator(".grv-code")).to_have_text("-".join(g.code[i:i + 4] for i in range(0, 12, 4)))
        _no_horizontal_scroll(page)
        _shot(page, "resident-detail")
        assert (g.complainant_user_id, g.channel, g.state) == (cast["resident"].pk, "portal", State.RECEIVED)
        page.goto(f"{live_server.url}/pengaduan/saya/")
        expect(page.get_by_role("link", name="Bantuan bulan Maret belum sampai")).to_be_visible()
    finally:
        context.close()


def test_staff_take_a_grievance_from_the_queue_to_resolution(page, live_server, cast):
    from playwright.sync_api import expect

    from bansos.grievances.services import grievance_file

    g = grievance_file(actor=None, data={
        "category": "aid_not_received", "subject": "Kartu KKS ditolak agen", "description": "Sejak awal bulan.",
        "name": "Siti Aminah", "phone": "081234567890"})
    sign_in(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/pengaduan/")
    _no_horizontal_scroll(page)
    _shot(page, "queue")
    page.get_by_role("link", name="Kartu KKS ditolak agen").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Kartu KKS ditolak agen")
    assign = page.locator("form[action$='/tugaskan/']")
    assign.get_by_label("Petugas").select_option(str(cast["officer"].pk))
    assign.get_by_role("button", name="Simpan penugasan").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-success")).to_contain_text("Penugasan disimpan")
    respond = page.locator("form[action$='/tanggapi/']")
    respond.get_by_label("Pesan").fill("Kami cek ke bank penyalur.")
    respond.get_by_role("button", name="Kirim tanggapan").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-success")).to_contain_text("Tanggapan dikirim")
    resolve = page.locator("form[action$='/selesaikan/']")
    resolve.get_by_label("Jawaban penyelesaian (dibaca pelapor)").fill("Kartu sudah diganti; silakan ambil.")
    resolve.get_by_role("button", name="Tandai selesai").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".badge.grv-state-resolved").first).to_be_visible()
    _no_horizontal_scroll(page)
    _shot(page, "detail-resolved")
    g.refresh_from_db()
    assert (g.state, g.assignee_id) == (State.RESOLVED, cast["officer"].pk)
    assert g.first_response_at is not None and g.resolved_at is not None
    page.goto(f"{live_server.url}/pengaduan/dasbor/")
    _shot(page, "dashboard")
    page.goto(f"{live_server.url}/pengaduan/lacak/{g.code}/")
    expect(page.get_by_text("Kartu sudah diganti; silakan ambil.").first).to_be_visible()
    _shot(page, "track")
