"""Referring a trained resident and recording a hire in the browser (desktop and 360 px phone).

The dinsos training officer opens the vacancy's matching page, reads the reasons and refers the best
candidate with a note; the company's officer opens the vacancy and records the hire with a wage and a
start date. Screenshots of the pages go to /tmp/shots_jobs/.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from bansos.jobs.models import JobReferral
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.jobs.conftest import (  # noqa: F401  (fixtures of the jobs tests, used here too)
    companies, courses, enrol, jobs_cast, make_program, source, trained, vacancy,
)

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_jobs"


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_name}.png", full_page=True)


def _go(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_refer_a_candidate_and_record_the_hire(page, live_server, jobs_cast, trained, vacancy):
    ani = trained("Ani Lestari", decile=2, certificate="DK-7H3K-9QX2", title="Menjahit Dasar", score=88)
    trained("Bunga Citra", decile=5, score=75, title="Menjahit Dasar")
    v = vacancy(description="Menjahit pakaian jadi di lini produksi.")

    sign_in(page, live_server, "officer", PASSWORD)
    _go(page, f"{live_server.url}/lowongan/")
    _shot(page, "vacancy-list")
    _go(page, f"{live_server.url}/lowongan/{v.pk}/calon/")
    assert page.get_by_text("Keluarga desil 2").is_visible()
    _shot(page, "candidates")
    card = page.locator(f"#calon-{ani.pk}")
    card.get_by_label("Catatan untuk perusahaan").fill("Rapi dan teliti.")
    card.get_by_role("button", name="Rujuk").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Sudah dirujuk").first.is_visible()
    referral = JobReferral.objects.get()

    page.context.clear_cookies()
    sign_in(page, live_server, "hrd_sentosa", PASSWORD)
    _go(page, f"{live_server.url}/lowongan/{v.pk}/")
    item = page.locator(f"#rujukan-{referral.pk}")
    item.get_by_text("Catat hasil").click()
    item.get_by_label("Hasil").select_option("hired")
    item.get_by_label("Upah per bulan (Rp)").fill("5400000")
    item.get_by_label("Mulai bekerja").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    item.get_by_role("button", name="Simpan hasil").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Rp 5.400.000 per bulan").is_visible()
    _shot(page, "vacancy-detail-company")
    assert ani.nik not in page.content()
    ani.refresh_from_db()
    assert ani.employment_status == "employee"
