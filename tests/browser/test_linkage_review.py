"""On a phone (360x740): the admin opens the duplicate queue, reads the evidence of a pair side by side,
chooses the record that survives, gives a reason and merges; the duplicate is then a merged alias."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORTS, sign_in
from tests.conftest import PASSWORD
from tests.linkage.conftest import twin  # noqa: F401  (the linkage tests' planted duplicate)

pytestmark = pytest.mark.browser


def test_review_a_pair_and_merge_on_a_phone(browser, live_server, cast, twin):  # noqa: F811
    from playwright.sync_api import expect

    from bansos.linkage.models import CandidatePair, LinkageRun

    budi, dup = twin
    run = LinkageRun.objects.create(created_by=cast["admin"], status="done", review=1)
    CandidatePair.objects.create(run=run, left=budi, right=dup, probability=0.86, weight=4.0, evidence={
        "nik": "one_digit", "name": "jw95", "birth_date": "exact", "sex": "exact", "household": "else"})
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, "admin", PASSWORD)
        page.goto(f"{live_server.url}/pencocokan/tinjau/")
        page.locator(".pair-link").first.click()
        expect(page.get_by_text("NIK beda satu angka di kode wilayah atau nomor urut")).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        page.locator(f"input[name=keep][value=\"{budi.pk}\"]").check()
        page.fill("#confirm-reason", "Orang yang sama, NIK salah ketik")
        page.get_by_role("button", name="Gabungkan").click()
        expect(page.get_by_text("Data digabung.")).to_be_visible()
        dup.refresh_from_db()
        assert (dup.status, dup.merged_into_id) == ("merged", budi.pk)
        page.goto(f"{live_server.url}/pencocokan/warga/{dup.pk}/")
        expect(page.get_by_text("Data ini sudah digabung.")).to_be_visible()
        expect(page.get_by_role("link", name="Batalkan penggabungan")).to_be_visible()
    finally:
        context.close()
