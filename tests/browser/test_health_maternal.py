"""A posyandu cadre on a 360 px phone (and desktop): opens the pregnant women of the posyandu, records an
antenatal visit with a high blood pressure and low MUAC, sees the risk flags; takes attendance at a health-
education session and reads the referrals. Screenshots go to /tmp/shots_health/."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from bansos.health.models_maternal import AntenatalVisit
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.health.conftest import woman  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_health"


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_name}.png", full_page=True)


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_cadre_records_an_antenatal_visit_on_a_phone(page, live_server, cast, woman, areas):  # noqa: F811
    from bansos.health.services_maternal import antenatal_record, pregnancy_open
    from bansos.health.services_outreach import education_session_create, referral_create

    today = timezone.localdate()
    mother = woman(name="Ratna Sari Dewi", age=24)
    other = woman(name="Lina Marlina", age=38)
    p = pregnancy_open(actor=cast["cadre"], mother=mother, data={"lmp": today - dt.timedelta(days=150)})
    antenatal_record(actor=cast["cadre"], pregnancy=p, data={
        "visit_date": today - dt.timedelta(days=95), "weight_kg": "50", "systolic": 110, "diastolic": 70})
    pregnancy_open(actor=cast["cadre"], mother=other, data={"lmp": today - dt.timedelta(days=40)})
    session = education_session_create(actor=cast["cadre"], posyandu=areas["pos1"], data={
        "topic": "nutrition_preg", "date": today, "facilitator": "Bidan Rina", "place": "Balai RW 1"})
    referral_create(actor=cast["cadre"], resident=other, data={
        "reason": "Pemeriksaan gula darah", "referred_to": "puskesmas", "facility": "Puskesmas Kebon Jeruk"})

    sign_in(page, live_server, "cadre", PASSWORD)
    page.goto(f"{live_server.url}/kesehatan/")
    page.get_by_role("link", name="Ibu hamil").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Kunjungan kurang dari jadwal").first.is_visible()  # nothing in the first trimester's end
    _shot(page, "mothers")
    page.locator(".health-mother", has_text="RATNA SARI DEWI").get_by_role("link", name="Periksa").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Berat badan (kg)").fill("54,2")
    page.get_by_label("Tekanan darah sistolik (mmHg)").fill("142")
    page.get_by_label("Tekanan darah diastolik (mmHg)").fill("88")
    page.get_by_label("Lingkar lengan atas / LiLA (cm)").fill("23,4")
    _shot(page, "antenatal-form")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Pemeriksaan disimpan.").is_visible()
    assert page.get_by_text("KEK: LiLA di bawah 23,5 cm").first.is_visible()
    assert page.get_by_text("Tekanan darah tinggi (≥ 140/90)").first.is_visible()
    assert _no_sideways_scroll(page)
    _shot(page, "pregnancy")
    visit = AntenatalVisit.objects.get(pregnancy=p, visit_date=today)
    assert (visit.systolic, visit.diastolic, str(visit.muac_cm), visit.kek, visit.high_bp) == (142, 88, "23.4", True, True)

    page.goto(f"{live_server.url}/kesehatan/penyuluhan/{session.pk}/")
    page.locator(".health-pick", has_text="RATNA SARI DEWI").get_by_role("button", name="Hadir").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("RATNA SARI DEWI hadir.").is_visible()
    assert _no_sideways_scroll(page)
    _shot(page, "education")
    page.get_by_role("link", name="Penyuluhan").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Rujukan").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Puskesmas Kebon Jeruk").first.is_visible()
    assert _no_sideways_scroll(page)
    _shot(page, "referrals")
