"""The UMKM pages: who may open them, forms that call the services, and what a page shows."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.umkm.models import Business, CapitalSupport, Repayment, RevenueLog
from tests.umkm.conftest import CAPITAL, days_ago, owner_of, today, umkm_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, loan):
    from bansos.umkm.services.records import revenue_log_set
    from bansos.umkm.arithmetic import add_months

    business, capital = loan(1_200_000, bp=1200, term=12)
    for i, revenue in enumerate([3_000_000, 3_100_000, 3_000_000, 3_600_000, 3_700_000, 3_900_000]):
        revenue_log_set(actor=cast["officer"], business=business, month=add_months(today().replace(day=1), i - 6),
                        revenue=revenue, profit=revenue // 5)
    return business, capital


@pytest.mark.parametrize("who, status", [("admin", 200), ("officer", 200), ("officer_other", 200),
                                         ("surveyor", 403), ("cadre", 403), ("evaluator", 403), ("resident", 403)])
def test_who_opens_the_overview(cast, client_for, world, who, status):
    response = client_for(cast[who]).get("/umkm/")
    assert response.status_code == status
    if status == 200:
        shown = world[0].name in response.content.decode()
        assert shown is (who != "officer_other")  # another agency's business is not listed


def test_anonymous_is_sent_to_sign_in(client_for, world):
    response = client_for(None).get(f"/umkm/usaha/{world[0].pk}/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_the_detail_page_shows_schedule_trend_and_chart(cast, client_for, world):
    business, capital = world
    page = client_for(cast["officer"]).get(f"/umkm/usaha/{business.pk}/").content.decode()
    assert "Jadwal angsuran" in page and "<svg" in page and "Naik" in page
    assert "Rp 112.000" in page  # 1.344.000 / 12
    assert 'style="' not in page and "<script>" not in page


def test_another_agencys_officer_gets_404_and_changes_nothing(cast, client_for, world):
    business, capital = world
    client = client_for(cast["officer_other"])
    assert client.get(f"/umkm/usaha/{business.pk}/").status_code == 404
    before = umkm_state()
    assert client.post(f"/umkm/modal/{capital.pk}/bayar/", {"paid_on": today().isoformat(),
                                                            "amount": "10.000"}).status_code == 404
    assert client.post(f"/umkm/usaha/{business.pk}/ubah/", {"name": "X"}).status_code == 404
    assert umkm_state() == before


def test_a_repayment_through_the_page(cast, client_for, world):
    business, capital = world
    client = client_for(cast["officer"])
    response = client.post(f"/umkm/modal/{capital.pk}/bayar/", {"paid_on": today().isoformat(), "amount": "Rp 112.000"})
    assert response.status_code == 302
    capital.refresh_from_db()
    assert capital.repaid == 112_000
    # Too much: the page says how much is left and nothing changes.
    before = umkm_state()
    response = client.post(f"/umkm/modal/{capital.pk}/bayar/", {"paid_on": today().isoformat(),
                                                                "amount": "2.000.000"})
    assert response.status_code == 400
    assert "sisa Rp 1.232.000" in response.content.decode()
    assert umkm_state() == before
    repayment = Repayment.objects.get()
    response = client.post(f"/umkm/pembayaran/{repayment.pk}/batalkan/", {"reason": "Salah input"})
    assert response.status_code == 302
    capital.refresh_from_db()
    assert capital.repaid == 0


def test_create_a_business_and_record_everything_through_the_pages(cast, client_for, umkm_program, enrol):
    program = umkm_program()
    household = cast["households"]["rw1_rt2"]
    enrol(program, household, "active")
    client = client_for(cast["officer"])
    form = client.get(f"/umkm/usaha/baru/?keluarga={household.pk}").content.decode()
    owner = owner_of(household)
    assert owner.full_name in form
    response = client.post("/umkm/usaha/baru/", {
        "program": program.pk, "owner": owner.pk, "name": "Jahit Bu Sri", "sector": "fashion",
        "products": "Permak", "started_on": "2025-01-05", "nib": "", "women_owned": "", "youth_owned": "0"})
    assert response.status_code == 302, response.content.decode()
    business = Business.objects.get()
    assert (business.women_owned, business.youth_owned) == (True, False)
    base = f"/umkm/usaha/{business.pk}"
    assert client.post(f"{base}/modal/", {"kind": "loan", "amount": "2.400.000", "approved_on": days_ago(40),
                                          "interest_pct": "12,5 %", "term_months": "0",
                                          "first_due_date": days_ago(10)}).status_code == 400  # no term
    assert not CapitalSupport.objects.exists()
    response = client.post(f"{base}/modal/", {"kind": "loan", "amount": "2.400.000", "approved_on": days_ago(40),
                                              "interest_pct": "12,5", "term_months": "12",
                                              "first_due_date": days_ago(10)})
    assert response.status_code == 302
    loan = CapitalSupport.objects.get()
    assert (loan.interest_bp_year, loan.total_due) == (1250, 2_400_000 + 300_000)
    assert client.post(f"/umkm/modal/{loan.pk}/cairkan/", {"disbursed_on": days_ago(40)}).status_code == 302
    assert client.post(f"{base}/omzet/", {"month": f"{today():%Y-%m}", "revenue": "1.500.000",
                                          "profit": "-20000"}).status_code == 302
    assert RevenueLog.objects.get().profit == -20_000
    assert client.post(f"{base}/peralatan/", {"item": "Mesin obras", "value": "900.000",
                                              "given_on": today()}).status_code == 302
    assert client.post(f"{base}/pendampingan/", {"date": today(), "topic": "Harga jual",
                                                 "mentor": "Ibu Ratna"}).status_code == 302
    assert client.post(f"{base}/tutup/", {"closed_on": today(), "reason": "Pindah"}).status_code == 302
    assert client.post(f"{base}/buka-kembali/", {"reason": ""}).status_code == 302
    page = client.get(f"{base}/").content.decode()
    assert "Mesin obras" in page and "Harga jual" in page and "Menunggak" in page


def test_overview_filters(cast, client_for, world, umkm):
    business, _capital = world
    client = client_for(cast["officer"])
    assert business.name in client.get("/umkm/?trend=naik").content.decode()
    assert business.name not in client.get("/umkm/?trend=turun").content.decode()
    # Nothing paid on a loan whose first instalment fell due 370 days ago.
    assert business.name in client.get("/umkm/?bucket=any").content.decode()
    assert business.name in client.get("/umkm/?bucket=90%2B").content.decode()
    assert business.name not in client.get("/umkm/?bucket=1-30").content.decode()
    # As of a date before the first due date, it was not in arrears.
    earlier = (today() - dt.timedelta(days=375)).isoformat()
    assert business.name not in client.get(f"/umkm/?bucket=any&on={earlier}").content.decode()
    assert business.name in client.get("/umkm/?women=1&rw=1").content.decode()
    assert business.name not in client.get("/umkm/?youth=1").content.decode()
    assert business.name not in client.get("/umkm/?rw=2").content.decode()


def test_the_household_panel_follows_the_household_page(cast, client_for, world):
    business, _c = world
    household = business.household
    from django.urls import reverse

    url = reverse("registry:household_detail", args=[household.pk])
    seen = {who: business.name in client_for(cast[who]).get(url).content.decode()
            for who in ("admin", "officer", "resident")}
    assert seen == {"admin": True, "officer": True, "resident": True}
    page = client_for(cast["surveyor"]).get(url)
    assert page.status_code == 200 and business.name not in page.content.decode()


def test_the_overview_query_count_does_not_grow_with_the_businesses(cast, client_for, loan, households,
                                                                     umkm_program, enrol):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bansos.umkm.services.businesses import business_create
    from bansos.umkm.services.records import mentoring_record
    from tests.umkm.conftest import business_data

    program = umkm_program(budget=CAPITAL * 10)

    def add(home):
        enrol(program, home, "active")
        business = business_create(actor=cast["admin"], owner=owner_of(home), program=program,
                                   data=business_data(name=f"Usaha {home.pk}"))
        loan(500_000, bp=0, term=5, business=business)
        mentoring_record(actor=cast["officer"], business=business, data={"date": today(), "topic": "Stok",
                                                                         "mentor": "Ibu Ratna"})

    def count() -> int:
        client = client_for(cast["officer"])
        client.get("/umkm/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/umkm/").status_code == 200
        return len(captured)

    homes = households(4)
    add(homes[0])
    few = count()
    for home in homes[1:]:
        add(home)
    assert count() == few


def test_every_page_renders_without_inline_styles_or_scripts(cast, client_for, world):
    business, capital = world
    from bansos.umkm.services.capital import repayment_record

    repayment = repayment_record(actor=cast["officer"], loan=capital, paid_on=today(), amount=1000)
    client = client_for(cast["officer"])
    for url in ("/umkm/", "/umkm/usaha/baru/", f"/umkm/usaha/{business.pk}/", f"/umkm/usaha/{business.pk}/ubah/",
                f"/umkm/usaha/{business.pk}/tutup/", f"/umkm/usaha/{business.pk}/modal/",
                f"/umkm/usaha/{business.pk}/peralatan/", f"/umkm/usaha/{business.pk}/pendampingan/",
                f"/umkm/usaha/{business.pk}/omzet/", f"/umkm/modal/{capital.pk}/cairkan/",
                f"/umkm/modal/{capital.pk}/bayar/", f"/umkm/pembayaran/{repayment.pk}/batalkan/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert 'style="' not in page and "<style" not in page and "<script>" not in page, url
