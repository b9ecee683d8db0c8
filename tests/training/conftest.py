"""Training fixtures: a partner company, a training program with trainees, a course ready to run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.programs.conftest import enrol, households, make_program, source  # noqa: F401


def today() -> dt.date:
    return timezone.localdate()


def years_ago(years: int, *, on: dt.date | None = None, days: int = 0) -> dt.date:
    """A birth date making someone ``years`` old on ``on`` (default today), ``days`` later."""
    on = on or today()
    try:
        born = on.replace(year=on.year - years)
    except ValueError:  # 29 February
        born = on.replace(year=on.year - years, day=28)
    return born + dt.timedelta(days=days)


@pytest.fixture
def company(db):
    from bansos.accounts.models import Agency

    return Agency.objects.create(name="PT Sentosa Uji", kind="business")


@pytest.fixture
def partner_officer(company):
    from tests.conftest import _user

    return _user("officer_partner", "officer", agency=company)


@pytest.fixture
def program(make_program):
    """A running dinsos training program (one resident per enrollment) around today."""
    return make_program("dinsos", kind="training", participant="resident", benefit_kind="course", benefit_amount=0,
                        status="running", name="Pelatihan Keterampilan Uji",
                        start_date=today() - dt.timedelta(days=200), end_date=today() + dt.timedelta(days=200))


@pytest.fixture
def trainee(cast, areas, program, enrol):
    """``trainee(name="Sri Rahayu", sex="P", age=25, state="active", program=program)`` -> Enrollment of one resident."""
    from bansos.registry.services import household_create
    from tests.factories import household_data, person

    def make(name: str = "Sri Rahayu", *, sex: str = "P", age: int = 25, born: dt.date | None = None,
             state: str = "active", in_program=None):
        born = born or years_ago(age, days=-40)
        home = household_create(actor=cast["admin"], data=household_data(areas["rt1"]), reason="pendataan uji",
                                members=[person(name, sex, born, "head")])
        return enrol(in_program or program, home, state, resident=home.residents.get())

    return make


@pytest.fixture
def course_data(company):
    def make(**extra) -> dict:
        data = {"title": "Pemasaran Digital Uji", "skill_area": "digital", "description": "Kelas malam.",
                "partner": company, "women_only": False, "youth_only": False, "capacity": 10,
                "min_attendance_pct": 75, "pass_score": None}
        data.update(extra)
        return data

    return make


@pytest.fixture
def course(cast, program, course_data):
    """``course(sessions=4, start=True, days_ago=..., **fields)``: a course with sessions dated in the past."""
    from bansos.training.services.courses import course_create, course_start, session_add

    def make(*, sessions: int = 4, start: bool = True, future: int = 0, **fields):
        c = course_create(actor=cast["officer"], program=program, data=course_data(**fields))
        for i in range(sessions):
            session_add(actor=cast["officer"], course=c, data={
                "date": today() - dt.timedelta(days=7 * (sessions - i)), "place": "Balai Warga RW 01",
                "trainer": "Bu Rina" if i % 2 == 0 else "Pak Tono", "topic": f"Materi {i + 1}"})
        for i in range(future):
            session_add(actor=cast["officer"], course=c, data={
                "date": today() + dt.timedelta(days=7 * (i + 1)), "place": "Balai Warga RW 01", "trainer": "Bu Rina"})
        if start:
            course_start(actor=cast["officer"], course=c)
        c.refresh_from_db()
        return c

    return make


@pytest.fixture
def with_people(cast, trainee):
    """``with_people(course, n)`` -> n active participants (women aged 25)."""
    from bansos.training.services.participants import participant_add

    names = ["Ani", "Bunga", "Citra", "Dina", "Eka", "Fitri", "Gita", "Hana", "Indah", "Juwita", "Kartika", "Lia"]
    surnames = ["Lestari", "Wulandari", "Permata"]

    def make(course, n: int = 3):
        return [participant_add(actor=cast["officer"], course=course,
                                enrollment=trainee(f"{names[i % len(names)]} {surnames[i // len(names)]}"))
                for i in range(n)]

    return make


def training_state() -> dict:
    """Every row the training services write, and the audit count, to assert a refusal changed nothing."""
    from bansos.core.models import AuditEvent
    from bansos.training.models import Attendance, Certificate, Course, CourseSession, Feedback, Participant

    return {
        "courses": list(Course.objects.order_by("pk").values()),
        "sessions": list(CourseSession.objects.order_by("pk").values()),
        "participants": list(Participant.objects.order_by("pk").values()),
        "attendance": list(Attendance.objects.order_by("pk").values()),
        "certificates": list(Certificate.objects.order_by("pk").values()),
        "feedback": list(Feedback.objects.order_by("pk").values()),
        "events": AuditEvent.objects.count(),
    }


def refused(code: str, call, *args, **kwargs):
    """Call a service that must refuse with ``code`` and change nothing; returns the error."""
    from bansos.core.errors import DomainError

    before = training_state()
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert training_state() == before
    return caught.value


def mark(actor, course, participants: list, attended_sessions: int) -> None:
    """Mark each participant present at the first ``attended_sessions`` sessions of ``course``."""
    from bansos.training.services.participants import attendance_mark

    sessions = list(course.sessions.order_by("number"))
    for p in participants:
        for s in sessions[:attended_sessions]:
            attendance_mark(actor=actor, session=s, participant=p, present=True)
