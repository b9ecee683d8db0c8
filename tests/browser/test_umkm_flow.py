"""An UMKM officer in the browser (desktop and 360 px phone): records a business, a loan, its disbursement
and a repayment, and reads the overview at a glance. Screenshots go to /tmp/shots_umkm/."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from bansos.umkm.models import Business, CapitalSupport
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.umkm.conftest import (  # noqa: F401  (fixtures of the umkm tests, used here too)
    enrol, households, loan, make_program, owner_of, source, today, umkm, umkm_program,
)

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots_umkm"


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_name}.png", full_page=True)


def _go(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_the_officer_records_a_business_and_its_loan(page, live_server, cast, umkm_program, enrol, loan):
    from bansos.umkm.arithmetic import add_months
    from bansos.umkm.services.records import mentoring_record, revenue_log_set

    # Another business already in arrears, with a year of revenue, for the overview and the chart.
    other, _old_loan = loan(2_400_000, bp=1200, term=12)
    for i in range(9):
        revenue_log_set(actor=cast["admin"], business=other, month=add_months(today().replace(day=1), i - 9),
                        revenue=4_000_000 - i * 150_000, profit=600_000 - i * 90_000)
    mentoring_record(actor=cast["admin"], business=other, data={"date": today(), "topic": "Pembukuan",
                                                                "mentor": "Ibu Ratna", "notes": "Buku kas"})
    program = other.program
    household = cast["households"]["rw1_rt2"]
    enrol(program, household, "active")
    url = live_server.url

    sign_in(page, live_server, "officer", PASSWORD)
    _go(page, f"{url}/umkm/")
    assert page.get_by_role("heading", name="Usaha mikro (UMKM)").is_visible()
    assert page.get_by_text("Menunggak", exact=False).first.is_visible()
    _shot(page, "overview")
    page.screenshot(path=f"{SHOTS}/overview-top-{page.viewport_name}.png")

    page.get_by_role("link", name="Catat usaha baru").click()
    page.wait_for_load_state("networkidle")
    _shot(page, "business-form")
    page.get_by_label("Pemilik usaha").select_option(str(owner_of(household).pk))
    page.get_by_label("Nama usaha").fill("Jahit Bu Sri")
    page.get_by_label("Sektor").select_option("fashion")
    page.get_by_label("Produk/jasa").fill("Permak dan jahit seragam")
    page.get_by_label("Mulai usaha").fill("2025-02-01")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Usaha dicatat.").is_visible()
    business = Business.objects.get(name="Jahit Bu Sri")
    assert business.women_owned is True

    page.get_by_role("link", name="Catat bantuan modal").click()
    page.wait_for_load_state("networkidle")
    _shot(page, "capital-form")
    page.get_by_label("Pinjaman modal").check()
    page.get_by_label("Jumlah (Rp)").fill("1.200.000")
    page.get_by_label("Bunga flat per tahun (%)").fill("10")
    page.get_by_label("Jangka waktu (bulan)").fill("6")
    page.get_by_label("Angsuran pertama").fill(add_months(today(), 1).isoformat())
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("networkidle")
    capital = CapitalSupport.objects.get(business=business)
    assert capital.total_due == 1_260_000
    page.get_by_role("button", name="Cairkan").click()
    page.wait_for_load_state("networkidle")
    capital.refresh_from_db()
    assert capital.disbursed_on == today()
    page.get_by_label("Jumlah (Rp)").fill("210.000")
    page.get_by_role("button", name="Catat pembayaran").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Pembayaran angsuran dicatat.").is_visible()
    capital.refresh_from_db()
    assert capital.repaid == 210_000
    _shot(page, "detail-new")

    _go(page, f"{url}/umkm/usaha/{other.pk}/")
    assert page.locator("svg.umkm-chart rect").count() == 9
    _shot(page, "detail-arrears")
    page.screenshot(path=f"{SHOTS}/detail-top-{page.viewport_name}.png")
    page.locator("#omzet").screenshot(path=f"{SHOTS}/revenue-{page.viewport_name}.png")
    _go(page, f"{url}/umkm/?bucket=any")
    assert page.get_by_role("link", name=other.name).is_visible()
    assert page.get_by_role("link", name="Jahit Bu Sri").count() == 0
    _go(page, f"{url}{reverse('registry:household_detail', args=[household.pk])}#usaha-mikro")
    assert page.get_by_role("heading", name="Usaha mikro", exact=True).is_visible()
    page.locator("#usaha-mikro").screenshot(path=f"{SHOTS}/household-panel-{page.viewport_name}.png")
