"""Pages: who reaches them, what the company reads of a referred person, referring and recording a hire."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bansos.jobs.models import JobReferral, Vacancy
from bansos.jobs.services import referral_create
from tests.jobs.conftest import jobs_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(jobs_cast, trained, vacancy):
    ani = trained("Ani Lestari", decile=2, certificate="DK-7H3K-9QX2", title="Menjahit Dasar")
    v = vacancy()
    return {"ani": ani, "vacancy": v}


@pytest.mark.parametrize("who, status", [
    ("admin", 200), ("officer", 200), ("company", 200), ("company_other", 200),
    ("surveyor", 403), ("cadre", 403), ("resident", 403), ("evaluator", 403),
])
def test_who_reaches_the_vacancy_list(jobs_cast, client_for, world, who, status):
    response = client_for(jobs_cast[who]).get(reverse("jobs:vacancy_list"))
    assert response.status_code == status
    if status == 200:
        assert "Operator Jahit" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client_for, world):
    response = client_for(None).get(reverse("jobs:vacancy_list"))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_other_officers_do_not_see_another_companys_closed_vacancy(jobs_cast, client_for, world):
    v = world["vacancy"]
    Vacancy.objects.filter(pk=v.pk).update(status="closed")
    assert client_for(jobs_cast["company_other"]).get(reverse("jobs:vacancy_detail", args=[v.pk])).status_code == 404
    assert client_for(jobs_cast["company"]).get(reverse("jobs:vacancy_detail", args=[v.pk])).status_code == 200


def test_the_company_posts_a_vacancy_from_the_page(jobs_cast, client_for, companies):
    client = client_for(jobs_cast["company"])
    assert client.get(reverse("jobs:vacancy_create")).status_code == 200
    closing = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    form = {"position": "Juru Masak", "skill_areas": ["cooking"], "openings": "3", "wage_min": "5396761",
            "wage_max": "5800000", "min_age": "18", "max_age": "45", "closing_date": closing}
    response = client.post(reverse("jobs:vacancy_create"), form)
    vacancy = Vacancy.objects.get(position="Juru Masak")
    assert response.status_code == 302 and vacancy.company == companies["company"]
    bad = client.post(reverse("jobs:vacancy_create"), {**form, "position": "Lain", "wage_min": "9000000"})
    assert bad.status_code == 422
    assert "Upah minimum tidak boleh lebih besar dari upah maksimum." in bad.content.decode()
    assert not Vacancy.objects.filter(position="Lain").exists()


@pytest.mark.parametrize("who", ["officer", "surveyor", "resident"])
def test_non_companies_cannot_post_from_the_page(jobs_cast, client_for, who):
    before = jobs_state()
    assert client_for(jobs_cast[who]).post(reverse("jobs:vacancy_create"), {"position": "X"}).status_code == 403
    assert jobs_state() == before


def test_the_coordinator_sees_candidates_and_refers_one(jobs_cast, client_for, world):
    client = client_for(jobs_cast["officer"])
    v = world["vacancy"]
    page = client.get(reverse("jobs:candidates", args=[v.pk])).content.decode()
    assert "ANI LESTARI" in page
    assert "Lulus pelatihan Menjahit Dasar (Menjahit &amp; busana)" in page and "Keluarga desil 2" in page
    response = client.post(reverse("jobs:refer", args=[v.pk, world["ani"].pk]), {"note": "Rajin"})
    assert response.status_code == 302
    referral = JobReferral.objects.get()
    assert (referral.resident_id, referral.note) == (world["ani"].pk, "Rajin")
    again = client.post(reverse("jobs:refer", args=[v.pk, world["ani"].pk]), {"note": ""})
    assert again.status_code == 422 and "sudah pernah dirujuk" in again.content.decode()
    assert JobReferral.objects.count() == 1
    assert "Sudah dirujuk" in client.get(reverse("jobs:candidates", args=[v.pk])).content.decode()


@pytest.mark.parametrize("who, status", [("surveyor", 403), ("resident", 403), ("evaluator", 403)])
def test_the_matching_page_is_refused_to_others(jobs_cast, client_for, world, who, status):
    v = world["vacancy"]
    before = jobs_state()
    assert client_for(jobs_cast[who]).get(reverse("jobs:candidates", args=[v.pk])).status_code == status
    assert client_for(jobs_cast[who]).post(reverse("jobs:refer", args=[v.pk, world["ani"].pk])).status_code == status
    assert jobs_state() == before


def test_another_agency_cannot_refer_outside_its_courses(jobs_cast, client_for, world):
    v = world["vacancy"]
    client = client_for(jobs_cast["officer_other"])
    assert "ANI LESTARI" not in client.get(reverse("jobs:candidates", args=[v.pk])).content.decode()
    response = client.post(reverse("jobs:refer", args=[v.pk, world["ani"].pk]), {"note": ""})
    assert response.status_code == 422 and JobReferral.objects.count() == 0


def test_the_company_never_sees_nik_kk_address_or_welfare(jobs_cast, client_for, world):
    ani = world["ani"]
    referral_create(actor=jobs_cast["officer"], vacancy=world["vacancy"], resident=ani, note="Rapi")
    household = ani.household
    for url in (reverse("jobs:vacancy_detail", args=[world["vacancy"].pk]), reverse("jobs:referral_list")):
        page = client_for(jobs_cast["company"]).get(url).content.decode()
        assert "ANI LESTARI" in page and "DK-7H3K-9QX2" in page and "Menjahit Dasar" in page
        assert "RW 1" in page
        for secret in (ani.nik, ani.nik[:6], household.kk_number, household.address, "desil",
                       reverse("registry:household_detail", args=[household.pk])):
            assert secret not in page, secret
    coordinator = client_for(jobs_cast["officer"]).get(
        reverse("jobs:vacancy_detail", args=[world["vacancy"].pk])).content.decode()
    assert "Keluarga desil 2" in coordinator


def test_the_company_records_a_hire_from_the_page(jobs_cast, client_for, world):
    referral = referral_create(actor=jobs_cast["officer"], vacancy=world["vacancy"], resident=world["ani"])
    client = client_for(jobs_cast["company"])
    url = reverse("jobs:outcome", args=[referral.pk])
    prefix = f"r{referral.pk}-"
    bad = client.post(url, {prefix + "status": "hired", prefix + "wage": "", prefix + "start_date": ""})
    assert bad.status_code == 422 and "Isi upah per bulan" in bad.content.decode()
    referral.refresh_from_db()
    assert referral.status == "referred"
    start = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    ok = client.post(url, {prefix + "status": "hired", prefix + "wage": "5400000", prefix + "start_date": start})
    assert ok.status_code == 302
    world["ani"].refresh_from_db()
    assert world["ani"].employment_status == "employee"
    page = client.get(reverse("jobs:vacancy_detail", args=[world["vacancy"].pk])).content.decode()
    assert "Rp 5.400.000" in page and "1 dari 2 orang" in page


def test_another_company_cannot_record_an_outcome(jobs_cast, client_for, world):
    referral = referral_create(actor=jobs_cast["officer"], vacancy=world["vacancy"], resident=world["ani"])
    before = jobs_state()
    response = client_for(jobs_cast["company_other"]).post(reverse("jobs:outcome", args=[referral.pk]),
                                                           {f"r{referral.pk}-status": "not_hired"})
    assert response.status_code == 404
    assert jobs_state() == before


def test_the_household_page_shows_the_jobs_panel(jobs_cast, client_for, world):
    from bansos.jobs.services import referral_outcome

    referral = referral_create(actor=jobs_cast["officer"], vacancy=world["vacancy"], resident=world["ani"])
    referral_outcome(actor=jobs_cast["company"], referral=referral, status="hired", wage=5_400_000,
                     start_date=timezone.localdate())
    url = reverse("registry:household_detail", args=[world["ani"].household_id])
    page = client_for(jobs_cast["admin"]).get(url).content.decode()
    assert "Pekerjaan" in page and "Operator Jahit" in page and "Rp 5.400.000" in page
    surveyor = client_for(jobs_cast["surveyor"]).get(url).content.decode()
    assert "Operator Jahit" in surveyor and "Rp 5.400.000" not in surveyor
    history = client_for(jobs_cast["admin"]).get(url).content.decode()
    assert "Rujukan kerja: diterima bekerja" in history or "diterima bekerja" in history


def test_the_vacancy_list_query_count_does_not_grow(jobs_cast, client_for, vacancy, django_assert_max_num_queries):
    for i in range(8):
        vacancy(position=f"Posisi {i}")
    client = client_for(jobs_cast["company"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("jobs:vacancy_list")).status_code == 200
