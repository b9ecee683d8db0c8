"""Matching: each filter in and out, scope per agency, ranking order and the reasons' text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bansos.jobs.matching import vacancy_candidates
from tests.jobs.conftest import letters, years_ago

pytestmark = pytest.mark.django_db


def names(user, vacancy):
    return [c.name for c in vacancy_candidates(user=user, vacancy=vacancy)]


def test_it_offers_a_trained_job_seeker(jobs_cast, trained, vacancy):
    trained("Ani Lestari")
    assert names(jobs_cast["officer"], vacancy()) == ["ANI LESTARI"]


@pytest.mark.parametrize("age_years, days, shown", [
    (18, 0, True),  # 18 today
    (18, 1, False),  # 18 tomorrow
    (56, 1, True),  # 55, 56 tomorrow
    (56, 0, False),  # 56 today
])
def test_it_keeps_the_age_boundaries(jobs_cast, trained, vacancy, age_years, days, shown):
    trained("Batas Usia", birth_date=years_ago(age_years, days=days))
    assert names(jobs_cast["officer"], vacancy(min_age=18, max_age=55)) == (["BATAS USIA"] if shown else [])


def test_women_only_vacancies_offer_women_only(jobs_cast, trained, vacancy):
    trained("Ani Lestari", sex="P")
    trained("Budi Hartono", sex="L")
    assert names(jobs_cast["officer"], vacancy(women_only=True)) == ["ANI LESTARI"]
    assert sorted(names(jobs_cast["officer"], vacancy(women_only=False))) == ["ANI LESTARI", "BUDI HARTONO"]


@pytest.mark.parametrize("employment, shown", [
    ("employee", False), ("self_employed", False), ("unemployed", True), ("casual", True), ("homemaker", True),
    ("", True),
])
def test_it_leaves_out_people_who_work_already(jobs_cast, trained, vacancy, employment, shown):
    trained("Status Kerja", employment=employment)
    assert names(jobs_cast["officer"], vacancy()) == (["STATUS KERJA"] if shown else [])


def test_it_needs_a_course_in_one_of_the_vacancys_skill_areas(jobs_cast, trained, vacancy):
    trained("Ani Lestari", skill="cooking")
    assert names(jobs_cast["officer"], vacancy(skill_areas=["sewing"])) == []
    assert names(jobs_cast["officer"], vacancy(skill_areas=["sewing", "cooking"])) == ["ANI LESTARI"]


@pytest.mark.parametrize("outcome, state", [("not_completed", "active"), ("dropped", "dropped"), ("", "active"),
                                            ("completed", "dropped")])
def test_it_needs_a_completed_course(jobs_cast, trained, vacancy, outcome, state):
    trained("Belum Lulus", outcome=outcome, state=state)
    assert names(jobs_cast["officer"], vacancy()) == []


def test_moved_out_residents_are_not_offered(jobs_cast, trained, vacancy):
    from bansos.registry.models import Resident

    resident = trained("Sudah Pindah")
    Resident.objects.filter(pk=resident.pk).update(status="moved_out")
    assert names(jobs_cast["officer"], vacancy()) == []


def test_officers_see_the_completers_of_their_own_agencys_courses_only(jobs_cast, trained, vacancy):
    trained("Murid Dinsos", agency="dinsos")
    trained("Murid Lsm", agency="lsm")
    v = vacancy()
    assert names(jobs_cast["officer"], v) == ["MURID DINSOS"]
    assert names(jobs_cast["officer_other"], v) == ["MURID LSM"]
    assert names(jobs_cast["company"], v) == []  # the company ran no course
    assert sorted(names(jobs_cast["admin"], v)) == ["MURID DINSOS", "MURID LSM"]
    for role in ("surveyor", "cadre", "resident", "evaluator"):
        assert names(jobs_cast[role], v) == []


def test_it_ranks_by_courses_then_score_then_recency_then_poorer_family(jobs_cast, trained, vacancy):
    today = timezone.localdate()
    two = trained("Dua Kursus", score=60, completed=today - dt.timedelta(days=200))
    trained(resident=two, skill="digital", score=60, completed=today - dt.timedelta(days=100))
    trained("Nilai Tinggi", score=95, completed=today - dt.timedelta(days=300))
    trained("Baru Lulus", score=80, completed=today - dt.timedelta(days=10))
    trained("Lama Lulus Miskin", score=80, completed=today - dt.timedelta(days=90), decile=1)
    trained("Lama Lulus Mampu", score=80, completed=today - dt.timedelta(days=90), decile=7)
    trained("Lama Lulus Tanpa Desil", score=80, completed=today - dt.timedelta(days=90))
    v = vacancy(skill_areas=["sewing", "digital"])
    assert names(jobs_cast["officer"], v) == [
        "DUA KURSUS", "NILAI TINGGI", "BARU LULUS", "LAMA LULUS MISKIN", "LAMA LULUS MAMPU",
        "LAMA LULUS TANPA DESIL",
    ]


def test_each_candidate_comes_with_reasons_in_plain_indonesian(jobs_cast, trained, vacancy):
    trained("Ani Lestari", birth_date=years_ago(24, days=-10), score=85, completed=dt.date(2026, 3, 14),
            decile=2, title="Menjahit Dasar")
    (candidate,) = vacancy_candidates(user=jobs_cast["officer"], vacancy=vacancy())
    assert candidate.reason_texts() == [
        "Lulus pelatihan Menjahit Dasar (Menjahit & busana) Maret 2026, nilai 85",
        "Usia 24 tahun",
        "Sedang mencari kerja",
        "Keluarga desil 2",
    ]


def test_a_course_without_score_and_other_work_statuses_read_well(jobs_cast, trained, vacancy):
    trained("Tanpa Nilai", score=None, completed=dt.date(2026, 5, 2), employment="casual", title="Menjahit Dasar",
            birth_date=years_ago(30, days=-3))
    (candidate,) = vacancy_candidates(user=jobs_cast["officer"], vacancy=vacancy())
    assert candidate.reason_texts() == [
        "Lulus pelatihan Menjahit Dasar (Menjahit & busana) Mei 2026",
        "Usia 30 tahun",
        "Belum bekerja tetap: Pekerja lepas/serabutan",
    ]


def test_certificate_codes_are_shown_unless_revoked(jobs_cast, trained, vacancy):
    from bansos.training.models import Certificate

    trained("Bersertifikat", certificate="DK-7H3K-9QX2")
    trained("Dicabut", certificate="DK-REVOKED-1")
    Certificate.objects.filter(code="DK-REVOKED-1").update(revoked_at=timezone.now())
    found = {c.name: c.courses[0]["certificate"] for c in vacancy_candidates(user=jobs_cast["officer"],
                                                                              vacancy=vacancy())}
    assert found == {"BERSERTIFIKAT": "DK-7H3K-9QX2", "DICABUT": ""}


def test_already_referred_residents_are_marked_not_offered_again(jobs_cast, trained, vacancy):
    from bansos.jobs.services import referral_create

    ani = trained("Ani Lestari")
    trained("Budi Hartono", sex="L")
    v = vacancy()
    referral_create(actor=jobs_cast["officer"], vacancy=v, resident=ani)
    marked = {c.name: c.referral_status for c in vacancy_candidates(user=jobs_cast["officer"], vacancy=v)}
    assert marked == {"ANI LESTARI": "referred", "BUDI HARTONO": None}


def test_matching_takes_two_queries_whatever_the_number_of_candidates(jobs_cast, trained, vacancy):
    v = vacancy(skill_areas=["sewing", "digital"])
    for i in range(6):
        r = trained(f"Calon {letters(i + 1)}", decile=i % 10 + 1, certificate=f"DK-{i}")
        trained(resident=r, skill="digital")
    with CaptureQueriesContext(connection) as captured:
        found = vacancy_candidates(user=jobs_cast["admin"], vacancy=v)
    assert len(found) == 6
    assert len(captured.captured_queries) == 2
