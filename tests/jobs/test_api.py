"""Jobs API: vacancies CRUD and list, candidates, referrals create/list/outcome; refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bansos.jobs.models import JobReferral, Vacancy
from tests.api.conftest import ApiClient
from tests.jobs.conftest import jobs_state

pytestmark = pytest.mark.django_db


def api(user=None) -> ApiClient:
    return ApiClient(user)


def body(**extra):
    data = {"position": "Admin Gudang", "skill_areas": ["digital"], "openings": 2, "wage_min": 5_396_761,
            "wage_max": 5_900_000, "min_age": 18, "max_age": 40,
            "closing_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat()}
    data.update(extra)
    return data


def test_the_company_posts_lists_changes_and_closes_a_vacancy(jobs_cast, companies):
    client = api(jobs_cast["company"])
    created = client.post("/jobs/vacancies", body())
    assert created.status_code == 201, created.json()
    vid = created.json()["id"]
    assert created.json()["company"] == "CSR PT Sentosa Makmur Abadi" and created.json()["accepting"] is True
    assert [v["id"] for v in client.get("/jobs/vacancies").json()] == [vid]
    changed = client.patch(f"/jobs/vacancies/{vid}", {"openings": 4})
    assert changed.status_code == 200 and changed.json()["openings"] == 4
    closed = client.post(f"/jobs/vacancies/{vid}/close", {"reason": "Terisi"})
    assert closed.json()["status"] == "closed"
    assert [v["id"] for v in client.get("/jobs/vacancies", {"closed": "true"}).json()] == [vid]


def test_bad_input_is_a_422_with_the_services_message(jobs_cast):
    before = jobs_state()
    response = api(jobs_cast["company"]).post("/jobs/vacancies", body(wage_min=7_000_000))
    assert response.status_code == 422
    assert response.json()["errors"]["wage_max"] == ["Upah minimum tidak boleh lebih besar dari upah maksimum."]
    assert api(jobs_cast["company"]).post("/jobs/vacancies", body(wage_min=5.5)).status_code == 422
    assert jobs_state() == before


@pytest.mark.parametrize("who, status", [("officer", 403), ("surveyor", 403), ("resident", 403), (None, 401)])
def test_others_cannot_post(jobs_cast, who, status):
    before = jobs_state()
    assert api(jobs_cast[who] if who else None).post("/jobs/vacancies", body()).status_code == status
    assert jobs_state() == before


def test_another_company_cannot_change_the_vacancy(jobs_cast, vacancy):
    v = vacancy()
    before = jobs_state()
    assert api(jobs_cast["company_other"]).patch(f"/jobs/vacancies/{v.pk}", {"openings": 9}).status_code == 403
    assert api(jobs_cast["company_other"]).post(f"/jobs/vacancies/{v.pk}/close",
                                                {"reason": "x"}).status_code == 403
    assert jobs_state() == before


def test_candidates_refer_and_record_a_hire(jobs_cast, trained, vacancy):
    ani = trained("Ani Lestari", decile=2)
    v = vacancy()
    coordinator = api(jobs_cast["officer"])
    candidates = coordinator.get(f"/jobs/vacancies/{v.pk}/candidates").json()
    assert [c["name"] for c in candidates] == ["ANI LESTARI"]
    assert "Keluarga desil 2" in candidates[0]["reasons"] and candidates[0]["already_referred"] is False
    made = coordinator.post("/jobs/referrals", {"vacancy": v.pk, "resident": ani.pk, "note": "Teliti"})
    assert made.status_code == 201, made.json()
    rid = made.json()["id"]
    again = coordinator.post("/jobs/referrals", {"vacancy": v.pk, "resident": ani.pk})
    assert again.status_code == 400 and again.json()["code"] == "already_referred"
    company = api(jobs_cast["company"])
    listed = company.get("/jobs/referrals").json()
    assert [r["id"] for r in listed] == [rid]
    assert listed[0]["household_id"] is None and not any("desil" in r for r in listed[0]["reasons"])
    assert ani.nik not in str(listed)
    start = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    missing = company.post(f"/jobs/referrals/{rid}/outcome", {"status": "hired"})
    assert missing.status_code == 422
    hired = company.post(f"/jobs/referrals/{rid}/outcome", {"status": "hired", "wage": 5_400_000,
                                                            "start_date": start})
    assert hired.status_code == 200 and hired.json()["status"] == "hired" and hired.json()["wage"] == 5_400_000
    ani.refresh_from_db()
    assert ani.employment_status == "employee"


def test_refusals_on_referrals_change_nothing(jobs_cast, trained, vacancy):
    ani = trained("Ani Lestari")
    v = vacancy()
    before = jobs_state()
    assert api(jobs_cast["surveyor"]).get(f"/jobs/vacancies/{v.pk}/candidates").status_code == 403
    assert api(jobs_cast["resident"]).post("/jobs/referrals", {"vacancy": v.pk, "resident": ani.pk}).status_code == 403
    other = api(jobs_cast["officer_other"]).post("/jobs/referrals", {"vacancy": v.pk, "resident": ani.pk})
    assert other.status_code == 400 and other.json()["code"] == "not_candidate"
    assert jobs_state() == before
    referral = api(jobs_cast["officer"]).post("/jobs/referrals", {"vacancy": v.pk, "resident": ani.pk}).json()
    before = jobs_state()
    response = api(jobs_cast["company_other"]).post(f"/jobs/referrals/{referral['id']}/outcome",
                                                    {"status": "not_hired"})
    assert response.status_code == 404
    assert jobs_state() == before
    assert JobReferral.objects.count() == 1 and Vacancy.objects.count() == 1
