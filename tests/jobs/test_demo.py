"""The jobs demo: vacancies always, referrals and outcomes of residents who completed demo courses."""

from __future__ import annotations

import pytest

from bansos.jobs.demo import UMP_JAKARTA_2026, demo_jobs_create
from bansos.jobs.models import JobReferral, Vacancy

pytestmark = pytest.mark.django_db


def test_without_completed_participants_it_creates_vacancies_only(jobs_cast):
    summary = demo_jobs_create(actor=jobs_cast["admin"])
    assert summary["vacancies"] == 4 and summary["referrals"] == 0
    assert Vacancy.objects.filter(company__name="CSR PT Sentosa Makmur Abadi").count() == 3
    assert JobReferral.objects.count() == 0
    assert demo_jobs_create(actor=jobs_cast["admin"]) is None
    assert Vacancy.objects.count() == 4


def test_it_refers_trained_residents_and_records_outcomes(jobs_cast, trained):
    for i, name in enumerate(("Ani", "Bunga", "Citra", "Dewi", "Eka", "Fitri", "Gita", "Hani", "Indah")):
        trained(f"{name} Lestari", skill="sewing" if i % 3 else "cooking", score=70 + i, age=20 + i)
    summary = demo_jobs_create(actor=jobs_cast["admin"], seed=7)
    assert summary["referrals"] == JobReferral.objects.count() > 0
    hired = list(JobReferral.objects.filter(status="hired").select_related("resident"))
    assert len(hired) == summary["hired"]
    for referral in hired:
        assert UMP_JAKARTA_2026 <= referral.wage <= referral.vacancy.wage_max
        assert referral.resident.employment_status == "employee"
    assert sum(summary[k] for k in ("hired", "interviewed", "not_hired")) <= summary["referrals"]
