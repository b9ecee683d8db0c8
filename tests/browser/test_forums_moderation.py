"""On a phone (360x740): a resident asks a question in the RW forum; the RW officer answers officially (htmx)
and hides an abusive reply; the resident then sees the answer and not the hidden reply."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORTS, sign_in
from tests.conftest import PASSWORD
from tests.forums.conftest import people, rw_forum  # noqa: F401  (fixtures of the forums tests, used here too)

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_forums"


def _context(browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="id-ID")
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways ({width} px)"


def test_question_official_answer_and_hidden_abuse_on_a_phone(browser, live_server, people, rw_forum):
    import os

    from playwright.sync_api import expect

    from bansos.forums.models import Reply, Thread
    from bansos.forums.services.posts import reply_create
    from tests.conftest import _user

    os.makedirs(SHOTS, exist_ok=True)
    context, page = _context(browser)
    try:
        sign_in(page, live_server, "resident", PASSWORD)
        page.goto(f"{live_server.url}/forum/")
        page.get_by_role("link", name="Forum RW 01").click()
        page.get_by_label("Judul pertanyaan atau topik").fill("Kapan pembagian sembako?")
        page.get_by_label("Isi").fill("Selamat pagi, kapan pembagian sembako bulan ini di RW 01? <b>Terima kasih</b>")
        page.get_by_role("button", name="Terbitkan").click()
        expect(page.get_by_role("heading", name="Kapan pembagian sembako?")).to_be_visible()
        expect(page.get_by_text("<b>Terima kasih</b>")).to_be_visible()  # shown as text, not run as HTML
        _no_sideways_scroll(page)
        # NIK-like numbers are refused with a clear message, nothing posted.
        page.get_by_label("Balasan").fill("NIK saya 3173 0512 3456 0001 mohon dicek")
        page.get_by_role("button", name="Kirim balasan").click()
        expect(page.get_by_text("Jangan menulis NIK atau nomor KK")).to_be_visible()
        assert Reply.objects.count() == 0
    finally:
        context.close()

    thread = Thread.objects.get()
    neighbour = people["households"]["rw1_rt2"]
    rude_author = _user("tetangga", "resident", household=neighbour, resident=neighbour.residents.get(relation="head"))
    rude = reply_create(actor=rude_author, thread=thread, body="Tanya terus, dasar pemalas!")

    context, page = _context(browser)
    try:
        sign_in(page, live_server, "surveyor", PASSWORD)
        page.goto(f"{live_server.url}/forum/utas/{thread.pk}/")
        page.get_by_label("Balasan").fill("Pembagian sembako Sabtu pukul 09.00 di balai warga RW 01.")
        expect(page.get_by_label("Jawaban resmi petugas")).to_be_checked()
        page.get_by_role("button", name="Kirim balasan").click()
        expect(page.locator(".post.is-official")).to_have_count(1)  # swapped in by htmx
        expect(page.get_by_text("Balasan Anda sudah terkirim.")).to_be_visible()
        page.locator(f"#balasan-{rude.pk}").get_by_role("link", name="Sembunyikan").click()
        page.get_by_label("Alasan").fill("Menghina warga yang bertanya")
        page.get_by_role("button", name="Sembunyikan").click()
        expect(page.locator(f"#balasan-{rude.pk}.is-hidden")).to_be_visible()
        _no_sideways_scroll(page)
        page.screenshot(path=f"{SHOTS}/moderator-thread-phone.png", full_page=True)
    finally:
        context.close()
    rude.refresh_from_db()
    assert (rude.hidden, rude.hidden_reason) == (True, "Menghina warga yang bertanya")

    context, page = _context(browser)
    try:
        sign_in(page, live_server, "resident", PASSWORD)
        page.goto(f"{live_server.url}/forum/utas/{thread.pk}/")
        expect(page.get_by_text("Pembagian sembako Sabtu pukul 09.00")).to_be_visible()
        expect(page.get_by_text("Jawaban resmi")).to_be_visible()
        expect(page.get_by_text("dasar pemalas")).to_have_count(0)
        page.screenshot(path=f"{SHOTS}/resident-thread-phone.png", full_page=True)
    finally:
        context.close()
