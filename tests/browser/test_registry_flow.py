"""The foundation's main flow as a surveyor lives it, on a desktop and on a 360 px phone:
sign in, search a household by NIK, open it, correct a resident, and see the change in the history."""

import re

import pytest

from bansos.core.models import AuditEvent
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_it_corrects_a_resident_and_shows_who_and_why_in_the_history(page, live_server, cast):
    household = cast["households"]["rw1"]
    spouse = household.residents.get(relation="spouse")

    sign_in(page, live_server, "surveyor", PASSWORD)
    assert page.get_by_role("heading", name=re.compile("Selamat datang")).is_visible()

    page.goto(f"{live_server.url}/registri/")
    page.get_by_label("Cari").fill(spouse.nik)
    page.get_by_role("button", name="Cari").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=household.kk_number).first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=re.compile(household.kk_number)).is_visible()
    # The surveyor of this RW sees the whole NIK.
    assert page.get_by_text(spouse.nik).first.is_visible()

    row = page.locator("tr", has_text="SITI AMINAH")
    row.get_by_role("link", name="Ubah").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Pekerjaan", exact=True).fill("Penjahit")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("networkidle")
    # No reason given: refused with a message next to the field, nothing saved.
    assert page.get_by_text("Wajib diisi").first.is_visible() or page.get_by_text("alasan").first.is_visible()
    assert not AuditEvent.objects.filter(action="resident.update").exists()

    page.locator("#id_reason").fill("Koreksi saat kunjungan rumah")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("networkidle")
    assert re.search(rf"/registri/keluarga/{household.pk}/", page.url)

    history = page.locator("#history, section", has_text="Riwayat perubahan").last
    assert history.get_by_text("Koreksi saat kunjungan rumah").is_visible()
    assert history.get_by_text("Penjahit").first.is_visible()
    assert history.get_by_text("Surveyor").first.is_visible() or history.get_by_text("surveyor").first.is_visible()

    event = AuditEvent.objects.get(action="resident.update")
    assert event.actor == cast["surveyor"]
    assert event.changes == {"occupation": ["", "Penjahit"]}
    assert event.origin["channel"] == "web"

    if page.viewport_name == "phone":
        # Nothing on the page may be wider than the phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360


def test_it_hides_another_rws_household_from_a_surveyor(page, live_server, cast):
    other = cast["households"]["rw2"]
    sign_in(page, live_server, "surveyor", PASSWORD)
    response = page.goto(f"{live_server.url}/registri/keluarga/{other.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Halaman tidak ditemukan").is_visible()
