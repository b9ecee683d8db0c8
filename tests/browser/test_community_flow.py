"""On a phone (360x740): a young resident proposes a community program and a neighbour supports it (htmx);
a resident objects to a beneficiary on its RW's masked list and follows the outcome after the field check."""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import VIEWPORTS, sign_in
from tests.community.conftest import (  # noqa: F401  (fixtures of the community tests, used here too)
    beneficiaries, cash, enrol, households, listed, make_program, people, resident_in, source, years_ago,
)

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_community"
PASSWORD = "x-uji-123456"


def _context(browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="id-ID")
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways ({width} px)"


def test_a_youth_proposal_collects_support_on_a_phone(browser, live_server, people, resident_in):
    from playwright.sync_api import expect

    from bansos.community.models import Proposal

    os.makedirs(SHOTS, exist_ok=True)
    young = resident_in("rt1", name="Rizky Pratama", age=19, sex="L")
    supporter = resident_in("rt2", name="Sri Wahyuni", age=45)
    context, page = _context(browser)
    try:
        sign_in(page, live_server, young.username, PASSWORD)
        page.goto(f"{live_server.url}/partisipasi/usulan-pemuda/baru/")
        page.get_by_label("Judul kegiatan").fill("Kelas Desain Grafis Remaja")
        page.get_by_label("Uraian").fill("Kelas dua kali seminggu di balai RW selama tiga bulan dengan laptop pinjaman.")
        page.get_by_label("Perkiraan anggaran (Rp)").fill("abc")
        page.get_by_label("Kelompok sasaran").select_option("youth")
        page.get_by_role("button", name="Terbitkan usulan").click()
        expect(page.get_by_text("Isi perkiraan anggaran dalam Rupiah")).to_be_visible()  # named field, nothing saved
        assert Proposal.objects.count() == 0
        page.get_by_label("Perkiraan anggaran (Rp)").fill("12500000")
        page.get_by_role("button", name="Terbitkan usulan").click()
        expect(page.get_by_role("heading", name="Kelas Desain Grafis Remaja")).to_be_visible()
        expect(page.get_by_text("Rp 12.500.000")).to_be_visible()
        expect(page.get_by_text("Pengusul tidak dapat mendukung usulannya sendiri")).to_be_visible()
        _no_sideways_scroll(page)
        page.screenshot(path=f"{SHOTS}/proposal_phone.png", full_page=True)
    finally:
        context.close()

    context, page = _context(browser)
    try:
        sign_in(page, live_server, supporter.username, PASSWORD)
        page.goto(f"{live_server.url}/partisipasi/usulan-pemuda/")
        page.get_by_role("link", name="Kelas Desain Grafis Remaja").click()
        page.get_by_role("button", name="Dukung usulan ini").click()
        expect(page.get_by_text("Anda sudah mendukung")).to_be_visible()  # swapped in by htmx
        page.wait_for_function("() => document.querySelector('#support .cm-votes').textContent.trim().startsWith('1')")
        _no_sideways_scroll(page)
        page.screenshot(path=f"{SHOTS}/support_phone.png", full_page=True)
    finally:
        context.close()
    assert Proposal.objects.get().support_count == 1


def test_an_objection_from_the_masked_list_on_a_phone(browser, live_server, people, listed):
    from playwright.sync_api import expect

    from bansos.community.models import Objection
    from bansos.community.services import cases
    from bansos.community.masking import mask_name
    from django.utils import timezone

    resident = people["resident"]
    resident.set_password(PASSWORD)
    resident.save()
    target = listed[0]
    masked = mask_name(target.household.residents.get(relation="head").full_name)
    context, page = _context(browser)
    try:
        sign_in(page, live_server, resident.username, PASSWORD)
        page.goto(f"{live_server.url}/partisipasi/penerima/")
        expect(page.get_by_role("heading", name="Penerima bantuan RW 01")).to_be_visible()
        expect(page.get_by_text(masked).first).to_be_visible()
        _no_sideways_scroll(page)
        page.screenshot(path=f"{SHOTS}/list_phone.png", full_page=True)
        page.locator(f"a[href$='/partisipasi/sanggah/{target.pk}/']").click()
        page.get_by_label("Alasan sanggah").fill("Keluarga ini punya mobil dan toko bangunan besar.")
        page.get_by_role("button", name="Kirim sanggah").click()
        expect(page.get_by_text("Sanggah Anda terkirim")).to_be_visible()
        objection = Objection.objects.get()
        cases.objection_check(actor=people["officer"], objection=objection, note="Dicek: benar ada mobil dan toko.",
                              date=timezone.localdate())
        cases.objection_decide(actor=people["officer"], objection=objection, accept=True,
                               reason="Penghasilan di atas batas program.")
        page.reload()
        expect(page.get_by_text("Kepesertaan ditangguhkan")).to_be_visible()
        _no_sideways_scroll(page)
        page.screenshot(path=f"{SHOTS}/my_cases_phone.png", full_page=True)
    finally:
        context.close()
    target.refresh_from_db()
    assert target.state == "suspended"
