"""Demo education data through the real services where it matters: schools of Duri Kepa and Kebon Jeruk,
student records for the school-age residents the registry marks "still in school", a free-education
program (kind education, per student) with its KJP Plus cash scheme and the poorest children enrolled,
and the school year's monthly attendance with a few warnings and one suspension.

Student records are written in bulk (the registry already says these children are in school); the
program, its scheme, the enrollments and the attendance go through the services (audited).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.utils import timezone

from bansos.education.calendar import previous_month, school_year_of, year_months
from bansos.education.models import School, Student

# Names of schools around Duri Kepa / Kebon Jeruk; NPSN left empty rather than invented.
SCHOOLS = [
    ("SDN Duri Kepa 01", "sd", False), ("SDN Duri Kepa 03", "sd", False), ("SDN Duri Kepa 05", "sd", False),
    ("SDN Kebon Jeruk 11", "sd", False), ("SD Strada Bhakti Utama", "sd", True), ("MI Al-Falah Duri Kepa", "sd", True),
    ("SMPN 75 Jakarta", "smp", False), ("SMPN 189 Jakarta", "smp", False), ("SMP Tunas Bangsa", "smp", True),
    ("SMAN 65 Jakarta", "sma", False), ("SMA Bina Insani", "sma", True), ("SMKN 45 Jakarta", "smk", False),
    ("SMK Yappenda", "smk", True), ("PKBM Kebon Jeruk", "pkbm", False),
]
PROGRAM_NAME = "Bantuan Pendidikan Gratis Duri Kepa (KJP Plus)"
KJP = {"per_child_sd": 250_000, "per_child_smp": 300_000, "per_child_sma": 420_000, "per_child_smk": 450_000,
       "per_child_pkbm": 300_000,
       "per_child_private": 0}
ENROLL = 60


def _level(age: int) -> str:
    return "sd" if age <= 12 else "smp" if age <= 15 else "sma"


def demo_education_create(*, actor, seed: int = 2026) -> dict[str, Any] | None:
    """Create the demo's schools, students, program and attendance once; None when already there."""
    from bansos.education.services.schools import school_create

    if School.objects.exists():
        return None
    started = time.monotonic()
    rng = random.Random(seed)
    schools: dict[str, list[School]] = {}
    for name, level, private in SCHOOLS:
        school = school_create(actor=actor, data={"name": name, "level": level, "is_private": private,
                                                  "address": "Kebon Jeruk, Jakarta Barat"})
        schools.setdefault(level, []).append(school)
    students = _students(actor, rng, schools)
    enrolled, attendance, warnings, suspended = _program(actor, rng)
    return {"schools": len(SCHOOLS), "students": students, "enrollments": enrolled, "attendance": attendance,
            "warnings": warnings, "suspensions": suspended, "seconds": time.monotonic() - started}


def _students(actor, rng: random.Random, schools: dict[str, list[School]]) -> int:
    from bansos.registry.models import Resident

    today = timezone.localdate()
    year = school_year_of(today)
    start = dt.date(int(year[:4]), 7, 1)
    rows = []
    for pk, birth in Resident.objects.filter(status="active", school_enrolment="enrolled",
                                             household__status="active").values_list("pk", "birth_date"):
        age = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))
        if not 6 <= age <= 18:
            continue
        level = _level(age)
        if level == "sma" and rng.random() < 0.45:
            level = "smk"
        if rng.random() < 0.02:
            level = "pkbm"
        grade = {"sd": min(6, max(1, age - 5)), "smp": min(9, max(7, age - 5)), "sma": min(12, max(10, age - 5)),
                 "smk": min(12, max(10, age - 5)), "pkbm": min(12, max(1, age - 5))}[level]
        rows.append(Student(resident_id=pk, school=rng.choice(schools[level]), grade=grade, school_year=year,
                            nisn=f"{rng.randrange(10**9, 10**10):010d}", created_by=actor))
    Student.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _program(actor, rng: random.Random) -> tuple[int, int, int, int]:
    from bansos.accounts.models import Agency
    from bansos.cash.models import PaymentInstitution
    from bansos.cash.services.setup import scheme_set
    from bansos.education.services.attendance import attendance_record
    from bansos.programs.models import FundingSource
    from bansos.programs.services.enrollment import enrollment_transition
    from bansos.programs.services.funding import funding_allocate
    from bansos.programs.services.programs import program_create, program_status_set

    agency = Agency.objects.filter(kind="government").order_by("pk").first()
    source = FundingSource.objects.filter(shared=True).order_by("pk").first() or FundingSource.objects.first()
    institution = PaymentInstitution.objects.filter(is_active=True).order_by("pk").first()
    if agency is None or source is None or institution is None:
        return 0, 0, 0, 0
    today = timezone.localdate()
    year = school_year_of(today)
    first = int(year[:4])
    program = program_create(actor=actor, data={
        "name": PROGRAM_NAME, "kind": "education", "agency": agency, "participant": "resident",
        "description": "Bantuan biaya pendidikan bulanan bagi anak dari keluarga miskin, dengan syarat "
                       "kehadiran di sekolah minimal 85% setiap bulan.",
        "target_groups": ["children", "poor"], "benefit_kind": "stipend",
        "benefit_description": "SD Rp250.000, SMP Rp300.000, SMA/SMK Rp420.000 per bulan",
        "benefit_amount": 420_000, "benefit_periods": 12, "start_date": dt.date(first, 7, 1),
        "end_date": dt.date(first + 1, 6, 30), "capacity": None,
    })
    available = source.amount - source.allocated
    funding_allocate(actor=actor, source=source, program=program, amount=min(available, ENROLL * 420_000 * 12))
    program_status_set(actor=actor, program=program, status="open")
    program_status_set(actor=actor, program=program, status="running")
    scheme_set(actor=actor, program=program, data={"frequency": "monthly", "amount_rule": "components",
                                                   "institution": institution, **KJP})
    # The poorest children with a current record: decile first.
    poorest = list(Student.objects.filter(school_year=year, status="enrolled")
                   .select_related("resident__household")
                   .order_by("resident__household__welfare__decile", "pk")[:ENROLL])
    enrolled = []
    from bansos.programs.services.enrollment import enrollment_apply

    for student in poorest:
        try:
            e = enrollment_apply(actor=actor, program=program, household=student.resident.household,
                                 resident=student.resident, note="Demo")
            for step in ("verified", "approved", "active"):
                e = enrollment_transition(actor=actor, enrollment=e, to=step, reason="Pemeriksaan data sekolah",
                                          acknowledge_warnings=True)
        except Exception:  # noqa: BLE001 - a demo child the overlap or budget rules refuse is skipped
            continue
        enrolled.append(student)
    months = [m for m in year_months(year) if m <= previous_month(today)]
    attendance = warnings = suspended = 0
    for i, student in enumerate(enrolled):
        for month in months:
            days = rng.choice((19, 20, 21, 22))
            present = days - rng.choice((0, 0, 1, 1, 2))
            if i % 15 == 3 and month == months[-1]:
                present = int(days * 0.7)  # a warning
            if i == 7 and month in months[-2:]:
                present = int(days * 0.6)  # two months in a row: the suspension
            outcome = attendance_record(actor=actor, student=student, month=month, present_days=present,
                                        school_days=days)
            attendance += 1
            warnings += sum(1 for e in outcome.events if e.kind == "warning")
            suspended += sum(1 for e in outcome.events if e.kind == "suspended")
    return len(enrolled), attendance, warnings, suspended
