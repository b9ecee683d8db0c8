"""The demo makes schools, students, the program and attendance once."""

from __future__ import annotations

from tests.cash.conftest import bank  # noqa: F401
from tests.programs.conftest import source  # noqa: F401


def test_demo_creates_schools_students_program_once(cast, source, bank):
    from bansos.education.demo import demo_education_create
    from bansos.education.models import School, Student
    from bansos.programs.models import Program

    made = demo_education_create(actor=cast["admin"])
    assert made["schools"] == School.objects.count() == 14
    assert made["students"] == Student.objects.count() >= 1
    assert Program.objects.filter(kind="education").count() == 1
    assert made["enrollments"] >= 1
    assert demo_education_create(actor=cast["admin"]) is None
