"""Jobs fixtures: two partner companies with officers, training programs of two agencies, and a
``trained`` factory for residents who took a course (rows of the training app made directly)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from tests.conftest import _user
from tests.factories import household_data, person
from tests.programs.conftest import enrol, make_program, source  # noqa: F401

_names = itertools.count(1)


def letters(n: int) -> str:
    """A name part from a number (names may hold letters only): 1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def years_ago(years: int, days: int = 0) -> dt.date:
    from bansos.jobs.matching import years_before

    return years_before(timezone.localdate(), years) + dt.timedelta(days=days)


@pytest.fixture
def companies(db):
    from bansos.accounts.models import Agency

    return {
        "company": Agency.objects.create(name="CSR PT Sentosa Makmur Abadi", kind="business"),
        "company_other": Agency.objects.create(name="PT Maju Bersama Garmen", kind="business"),
    }


@pytest.fixture
def jobs_cast(cast, companies):
    """The shared cast plus a company officer, another company's officer, and the training officers:
    ``officer`` (dinsos, runs the sewing/digital courses) and ``officer_other`` (lsm, its own course)."""
    users = dict(cast)
    users["company"] = _user("hrd_sentosa", "officer", agency=companies["company"])
    users["company_other"] = _user("hrd_maju", "officer", agency=companies["company_other"])
    users["companies"] = companies
    return users


@pytest.fixture
def courses(jobs_cast, make_program):
    """Training programs of dinsos and lsm; ``courses(agency_key, skill)`` -> a finished Course."""
    from bansos.training.models import Course

    programs = {}
    made = {}

    def make(agency_key: str = "dinsos", skill: str = "sewing", title: str | None = None):
        key = (agency_key, skill, title)
        if key not in made:
            if agency_key not in programs:
                programs[agency_key] = make_program(
                    agency_key, kind="training", participant="resident", benefit_kind="course",
                    benefit_amount=0, benefit_periods=1, target_groups=[],
                    name=f"Pelatihan Kerja {agency_key}")
            made[key] = Course.objects.create(
                program=programs[agency_key], title=title or {"sewing": "Menjahit Dasar", "digital":
                                                             "Admin Perkantoran Digital"}.get(skill, "Kursus"),
                skill_area=skill, capacity=30, status="finished", finished_at=timezone.now())
        return made[key]

    make.programs = programs
    return make


@pytest.fixture
def trained(jobs_cast, courses, enrol, areas):
    """``trained(name, sex="P", age=25, ...)`` -> a Resident (head of a new household) who took a course.

    Options: agency ("dinsos"), skill ("sewing"), score (80), completed (date), outcome ("completed"),
    state ("active"), employment ("unemployed"), rt ("rt1"), certificate (code or None), decile (None),
    birth_date (overrides age), title (course title).
    """
    from bansos.registry.services import household_create
    from bansos.training.models import Certificate, Participant
    from bansos.welfare.models import HouseholdWelfare

    def make(name: str | None = None, sex: str = "P", age: int = 25, *, agency: str = "dinsos",
             skill: str = "sewing", score: int | None = 80, completed: dt.date | None = None,
             outcome: str = "completed", state: str = "active", employment: str = "unemployed",
             rt: str = "rt1", certificate: str | None = None, decile: int | None = None,
             birth_date: dt.date | None = None, title: str | None = None, resident=None):
        admin = jobs_cast["admin"]
        if resident is None:
            name = name or f"Warga Uji {letters(next(_names))}"
            born = birth_date or years_ago(age, days=-40)
            household = household_create(actor=admin, data=household_data(areas[rt]), members=[
                person(name, sex, born, "head", employment_status=employment)], reason="pendataan awal")
            resident = household.residents.get()
            if decile is not None:
                HouseholdWelfare.objects.create(household=household, model_id=1, per_capita=900_000, score=13.7,
                                                decile=decile, rank=1, computed_at=timezone.now())
        course = courses(agency, skill, title)
        from bansos.programs.models import Enrollment

        enrollment = Enrollment.objects.filter(program=course.program, resident=resident).first() or enrol(
            course.program, resident.household, resident=resident)
        when = completed or (timezone.localdate() - dt.timedelta(days=30))
        participant = Participant.objects.create(
            course=course, enrollment=enrollment, resident=resident, household=resident.household, state=state,
            assessment_score=score, outcome=outcome,
            completed_at=timezone.make_aware(dt.datetime.combine(when, dt.time(10))) if outcome == "completed"
            else None)
        if certificate:
            Certificate.objects.create(participant=participant, code=certificate)
        return resident

    return make


@pytest.fixture
def vacancy(jobs_cast):
    """``vacancy(**fields)`` -> an open vacancy of CSR PT Sentosa posted by its officer (sewing, 18-55)."""
    from bansos.jobs.services import vacancy_create

    def make(actor=None, **extra):
        data = {"position": "Operator Jahit", "skill_areas": ["sewing"], "openings": 2, "wage_min": 5_396_761,
                "wage_max": 6_000_000, "location": "Kawasan Industri Kapuk", "min_age": 18, "max_age": 55,
                "women_only": False, "closing_date": timezone.localdate() + dt.timedelta(days=30)}
        data.update(extra)
        return vacancy_create(actor=actor or jobs_cast["company"], data=data)

    return make


def jobs_state() -> dict:
    from bansos.core.models import AuditEvent
    from bansos.jobs.models import JobReferral, Vacancy
    from bansos.registry.models import Resident

    return {
        "vacancies": list(Vacancy.objects.order_by("pk").values()),
        "referrals": list(JobReferral.objects.order_by("pk").values()),
        "work": list(Resident.objects.order_by("pk").values_list("employment_status", "occupation")),
        "audit": AuditEvent.objects.count(),
    }


def refused(code: str, call, *args, **kwargs):
    """Call a service that must refuse with ``code`` and change nothing; returns the error."""
    from bansos.core.errors import DomainError

    before = jobs_state()
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert jobs_state() == before
    return caught.value
