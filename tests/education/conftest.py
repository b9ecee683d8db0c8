"""Education fixtures: schools, an education program with a components cash scheme, enrolled students."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cash.conftest import bank  # noqa: F401
from tests.programs.conftest import enrol, households, make_program, source  # noqa: F401

YEAR = "2025/2026"
OCTOBER = dt.date(2025, 10, 1)
KJP = {"per_child_sd": 250_000, "per_child_smp": 300_000, "per_child_sma": 420_000, "per_child_smk": 450_000,
       "per_child_pkbm": 300_000,
       "per_child_private": 150_000}


def child(household, name: str):
    return household.residents.get(full_name__iexact=name)


@pytest.fixture
def schools(cast):
    from bansos.education.services.schools import school_create

    admin = cast["admin"]
    return {
        "sd": school_create(actor=admin, data={"name": "SDN Duri Kepa 01", "level": "sd", "npsn": "20101234"}),
        "smp": school_create(actor=admin, data={"name": "SMPN 75 Jakarta", "level": "smp"}),
        "smk": school_create(actor=admin, data={"name": "SMK Yappenda", "level": "smk", "is_private": True}),
        "pkbm": school_create(actor=admin, data={"name": "PKBM Kebon Jeruk", "level": "pkbm"}),
    }


@pytest.fixture
def edu_program(cast, make_program, bank):
    """A running dinsos education program (per student) with the KJP Plus amounts as its cash scheme."""
    from bansos.cash.services.setup import scheme_set

    program = make_program("dinsos", budget=50_000_000, kind="education", participant="resident",
                           benefit_kind="stipend", benefit_amount=450_000, benefit_periods=12,
                           target_groups=["children"], name="KJP Plus Duri Kepa",
                           start_date=dt.date(2025, 7, 1), end_date=dt.date(2026, 6, 30))
    scheme_set(actor=cast["officer"], program=program, data={
        "frequency": "monthly", "amount_rule": "components", "institution": bank, **KJP})
    program.refresh_from_db()
    return program


@pytest.fixture
def student(cast, schools):
    """``student(resident, school_key, grade)`` -> Student of YEAR."""
    from bansos.education.services.students import student_enroll

    def make(resident, key: str = "smp", grade: int = 8, nisn: str = ""):
        return student_enroll(actor=cast["admin"], resident=resident, school=schools[key], grade=grade,
                              school_year=YEAR, nisn=nisn)

    return make


@pytest.fixture
def participant(cast, edu_program, enrol, student):
    """Andi (RW 1) at SMPN 75, actively enrolled in the education program. Returns (student, enrollment)."""
    andi = child(cast["households"]["rw1"], "Andi Pratama")
    record = student(andi, "smp", 8, nisn="0101234567")
    enrollment = enrol(edu_program, andi.household, "active", resident=andi)
    return record, enrollment


def edu_state() -> dict:
    """Every row the education services write, and the enrollments, for "nothing changed"."""
    from bansos.core.models import AuditEvent
    from bansos.education.models import Attendance, ConditionEvent, EducationTerms, School, Student
    from bansos.programs.models import Enrollment

    return {
        "schools": list(School.objects.order_by("pk").values()),
        "students": list(Student.objects.order_by("pk").values()),
        "attendance": list(Attendance.objects.order_by("pk").values()),
        "events": ConditionEvent.objects.count(),
        "terms": list(EducationTerms.objects.values()),
        "enrollments": list(Enrollment.objects.order_by("pk").values("pk", "state")),
        "audit": AuditEvent.objects.count(),
    }
