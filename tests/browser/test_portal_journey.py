"""The resident journey on a phone (360x740): catalog -> questionnaire -> activation with the SMS code read
from the outbox -> household home with programs and payments -> apply to a training; the first visit's weight;
and the catalog read offline through the service worker.

Screenshots go to /tmp/shots_portal/.
"""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import VIEWPORTS
from tests.cash.conftest import bank, cash_cycle, cash_world  # noqa: F401
from tests.portal.conftest import (  # noqa: F401
    _limits, cash_program, enrol, head, home, make_program, sms_code, source, training,
)
from tests.programs.conftest import households  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = "/tmp/shots_portal"
FIRST_VISIT_LIMIT = 200 * 1024


def _context(browser, viewport="phone", **extra):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID", **extra)
    context.set_default_timeout(15_000)
    return context


def _shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def paid_family(cast, home, cash_world, cash_cycle, enrol):
    """The RW 1 household in an approved cash cycle (its entitlement is scheduled)."""
    program, _ = cash_world(0, budget=900_000)
    enrollment = enrol(program, home, "active")
    cash_cycle(program=program, enrollments=[enrollment], state="approved")
    return program


def test_the_resident_journey_on_a_phone(browser, live_server, transactional_db, cast, head, home, training,
                                         paid_family):
    context = _context(browser)
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/warga/program/")
    assert page.get_by_role("link", name="Pelatihan Menjahit", exact=True).is_visible()
    _shot(page, "catalog-phone")

    page.goto(f"{base}/warga/cocokkan/")
    page.get_by_label("Apakah kepala keluarga Anda seorang perempuan?").check()
    page.get_by_role("button", name="Lihat program yang mungkin cocok").click()
    assert "Pelatihan Menjahit" in page.locator("#hasil").inner_text()
    _shot(page, "questionnaire-phone")

    page.goto(f"{base}/warga/akun/aktivasi/")
    page.get_by_label("NIK (16 angka)").fill(head.nik)
    page.get_by_label("Nomor Kartu Keluarga (16 angka)").fill(home.kk_number)
    page.get_by_label("Tanggal lahir").fill(head.birth_date.isoformat())
    page.get_by_role("button", name="Lanjut").click()
    page.wait_for_url("**/akun/aktivasi/kode/")
    page.get_by_label("Kode").fill(sms_code())
    page.get_by_role("button", name="Periksa kode").click()
    page.wait_for_url("**/akun/aktivasi/kata-sandi/")
    page.get_by_label("Kata sandi baru").fill("Kuat-sekali-2026")
    page.get_by_label("Ulangi kata sandi").fill("Kuat-sekali-2026")
    page.get_by_role("button", name="Simpan dan masuk").click()
    page.wait_for_url("**/warga/beranda/")
    text = page.locator("main").inner_text()
    assert paid_family.name in text  # the household's cash program and its payment
    assert "Dijadwalkan" in text or "Menunggu" in text
    _shot(page, "home-phone")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= VIEWPORTS["phone"]["width"], f"the household home scrolls sideways ({width}px)"

    page.goto(f"{base}/warga/program/{training.pk}/daftar/")
    page.locator("input[name=resident]").first.check()
    page.get_by_role("button", name="Kirim pendaftaran").click()
    page.wait_for_url("**/warga/beranda/")
    text = page.locator("main").inner_text()
    assert "Pelatihan Menjahit" in text and "Pendaftaran diterima, menunggu pemeriksaan" in text
    _shot(page, "applied-phone")
    context.close()


def test_a_first_visit_stays_light(browser, live_server, transactional_db, cast, training):
    context = _context(browser, service_workers="block")
    page = context.new_page()
    sizes = []
    page.on("requestfinished", lambda request: sizes.append((request.url, request.sizes()["responseBodySize"]
                                                             + request.sizes()["responseHeadersSize"])))
    page.goto(f"{live_server.url}/warga/")
    page.wait_for_load_state("networkidle")
    total = sum(size for _url, size in sizes)
    print(f"\nportal first visit: {len(sizes)} requests, {total} bytes")
    for url, size in sizes:
        print(f"  {size:>8}  {url}")
    assert total < FIRST_VISIT_LIMIT
    context.close()


def test_the_catalog_reads_offline_after_a_visit(browser, live_server, transactional_db, cast, training):
    context = _context(browser)
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/warga/")
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"{base}/warga/program/")
    page.wait_for_load_state("networkidle")
    context.set_offline(True)
    page.goto(f"{base}/warga/program/")
    assert "Pelatihan Menjahit" in page.locator("main").inner_text()
    page.goto(f"{base}/warga/cek-status/")  # never visited: the offline page
    assert "Tidak ada sambungan internet" in page.locator("main").inner_text()
    _shot(page, "offline-phone")
    context.set_offline(False)
    context.close()
