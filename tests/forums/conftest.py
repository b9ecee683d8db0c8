"""Forums fixtures: the cast's residents linked to their household heads, an RW forum, a program forum with
one participating household, and a running course where the resident attended a session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.programs.conftest import enrol, households, make_program, source  # noqa: F401


@pytest.fixture
def people(cast):
    """The cast with each resident account naming its household's head (as the portal's activation does)."""
    for name in ("resident", "resident_other"):
        user = cast[name]
        user.resident = user.household.residents.get(relation="head")
        user.save(update_fields=["resident"])
    return cast


@pytest.fixture
def rw_forum(people, areas):
    from bansos.forums.services.posts import forum_for_rw

    return forum_for_rw(rw=areas["rw1"])


@pytest.fixture
def program(make_program):
    """A running dinsos program (household-level) in which the cast's RW 1 household takes part."""
    return make_program("dinsos", kind="cash", status="running", name="Bantuan Pangan Uji", budget=10_000_000)


@pytest.fixture
def program_forum(people, program, enrol):
    from bansos.forums.services.posts import forum_for_program

    enrol(program, people["households"]["rw1"], "active")
    return forum_for_program(program=program)


@pytest.fixture
def thread(people, rw_forum):
    from bansos.forums.services.posts import thread_create

    return thread_create(actor=people["resident"], forum=rw_forum, title="Jadwal posyandu bulan ini?",
                         body="Kapan posyandu RW 01 dibuka bulan ini, dan di mana tempatnya?")


@pytest.fixture
def attended(people, make_program, enrol):
    """A running course of a dinsos training program; the cast's resident (RW 1 head) attended session 1 of 2."""
    from bansos.training.services.courses import course_create, course_start, session_add
    from bansos.training.services.participants import attendance_mark, participant_add

    today = timezone.localdate()
    training = make_program("dinsos", kind="training", participant="resident", benefit_kind="course",
                            benefit_amount=0, status="running", name="Pelatihan Menjahit Uji",
                            start_date=today - dt.timedelta(days=100), end_date=today + dt.timedelta(days=100))
    officer = people["officer"]
    course = course_create(actor=officer, program=training, data={
        "title": "Menjahit Dasar Uji", "skill_area": "sewing", "description": "", "partner": None,
        "women_only": False, "youth_only": False, "capacity": 10, "min_attendance_pct": 75, "pass_score": None})
    sessions = [session_add(actor=officer, course=course, data={
        "date": today - dt.timedelta(days=14 - 7 * i), "place": "Balai Warga", "trainer": "Bu Rina",
        "topic": f"Materi {i + 1}"}) for i in range(2)]
    course_start(actor=officer, course=course)
    head = people["resident"].resident
    enrollment = enrol(training, people["households"]["rw1"], "active", resident=head)
    participant = participant_add(actor=officer, course=course, enrollment=enrollment)
    attendance_mark(actor=officer, session=sessions[0], participant=participant, present=True)
    attendance_mark(actor=officer, session=sessions[1], participant=participant, present=False)
    return {"course": course, "sessions": sessions, "participant": participant, "program": training}


def forum_state() -> dict:
    """Every row the forums services write, the training feedback, the outbox and the audit count."""
    from bansos.core.models import AuditEvent
    from bansos.forums.models import Forum, ProgramFeedback, Reply, Report, Thread
    from bansos.training.models import Feedback

    return {
        "forums": Forum.objects.count(),
        "threads": list(Thread.objects.order_by("pk").values()),
        "replies": list(Reply.objects.order_by("pk").values()),
        "reports": list(Report.objects.order_by("pk").values()),
        "program_feedback": list(ProgramFeedback.objects.order_by("pk").values()),
        "session_feedback": list(Feedback.objects.order_by("pk").values()),
        "events": AuditEvent.objects.count(),
    }


def refused(code: str, call, *args, **kwargs):
    """Call a service that must refuse with ``code`` and change nothing; returns the error."""
    from bansos.core.errors import DomainError

    before = forum_state()
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert forum_state() == before
    return caught.value
