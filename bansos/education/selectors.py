"""Reads of the education app: schools, classes, a student's months, the out-of-school list."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from bansos.education.calendar import school_year_of
from bansos.education.models import Attendance, ConditionEvent, School, Student, StudentStatus

SCHOOL_AGE = (7, 18)
OUT_OF_SCHOOL_SORTS = {
    "desil": ("decile", "rw_number", "rt_number", "full_name"),
    "umur": ("birth_date", "full_name"),
    "nama": ("full_name",),
    "rt": ("rw_number", "rt_number", "full_name"),
}


def current_year() -> str:
    return school_year_of(timezone.localdate())


def school_list(*, level: str = "", year: str | None = None):
    year = year or current_year()
    schools = School.objects.annotate(n_students=Count(
        "students", filter=Q(students__school_year=year, students__status=StudentStatus.ENROLLED)))
    if level:
        schools = schools.filter(level=level)
    return schools.order_by("level", "name")


def school_students(school: School, *, year: str, grade: int | None = None, status: str = StudentStatus.ENROLLED):
    students = Student.objects.filter(school=school, school_year=year).select_related(
        "resident__household__rt__rw")
    if status:
        students = students.filter(status=status)
    if grade:
        students = students.filter(grade=grade)
    return students.order_by("grade", "resident__full_name")


def school_grades(school: School, year: str) -> list[int]:
    return list(Student.objects.filter(school=school, school_year=year, status=StudentStatus.ENROLLED)
                .order_by("grade").values_list("grade", flat=True).distinct())


def attendance_sheet(school: School, *, year: str, grade: int, month: dt.date) -> list[tuple[Student, Attendance | None]]:
    """The class's current students with this month's attendance (two queries)."""
    students = list(school_students(school, year=year, grade=grade))
    rows = {a.student_id: a for a in Attendance.objects.filter(student__in=students, month=month)}
    return [(s, rows.get(s.pk)) for s in students]


def student_get(pk: int) -> Student:
    from bansos.core.errors import NotFoundError

    student = Student.objects.select_related("school", "resident__household__rt__rw").filter(pk=pk).first()
    if student is None:
        raise NotFoundError()
    return student


def student_months(resident_id: int) -> list[Attendance]:
    return list(Attendance.objects.filter(student__resident_id=resident_id).select_related("student__school")
                .order_by("-month"))


def student_events(resident_id: int) -> list[ConditionEvent]:
    return list(ConditionEvent.objects.filter(student__resident_id=resident_id)
                .select_related("enrollment__program").order_by("-month", "-pk"))


def student_records(resident_id: int) -> list[Student]:
    return list(Student.objects.filter(resident_id=resident_id).select_related("school"))


def stipends(resident) -> list:
    """The resident's stipend entitlements (person programs of kind education), from the cash app."""
    from bansos.cash.selectors import household_entitlements

    return [e for e in household_entitlements(resident.household)
            if e.participant_id == resident.pk and e.cycle.program.kind == "education"]


def education_programs(user):
    """Education programs taking participants that ``user`` may enroll children into."""
    from bansos.education.access import can_program
    from bansos.programs.models import Program

    programs = Program.objects.filter(kind="education", participant="resident", status__in=("open", "running"))
    return [p for p in programs.select_related("agency") if can_program(user, p)]


def out_of_school(*, rw: int | None = None, sort: str = "desil", on: dt.date | None = None):
    """School-age residents (7-18 on ``on``) not in school: one query over residents.

    Not in school: the registry does not say "still in school" and there is no current student
    record for the school year. With the household's welfare decile (None when not scored) and
    whether the child already takes part in an education program.
    """
    from bansos.programs.models import Enrollment
    from bansos.registry.models import Resident

    on = on or timezone.localdate()
    low, high = SCHOOL_AGE
    youngest_birth = _years_before(on, low)  # born on or before: at least 7
    oldest_birth = _years_before(on, high + 1) + dt.timedelta(days=1)  # born after: not yet 19
    year = school_year_of(on)
    current = Student.objects.filter(resident_id=OuterRef("pk"), school_year=year, status=StudentStatus.ENROLLED)
    enrolled = Enrollment.objects.filter(resident_id=OuterRef("pk"), program__kind="education",
                                         state__in=("applied", "verified", "approved", "active", "suspended"))
    rows = (Resident.objects.filter(status="active", household__status="active", birth_date__lte=youngest_birth,
                                    birth_date__gte=oldest_birth)
            .exclude(school_enrolment="enrolled").filter(~Exists(current))
            .annotate(in_program=Exists(enrolled))
            .values("pk", "full_name", "birth_date", "sex", "school_enrolment", "household_id",
                    "household__kk_number", "in_program", decile=F("household__welfare__decile"),
                    rt_number=F("household__rt__number"), rw_number=F("household__rt__rw__number")))
    if rw:
        rows = rows.filter(household__rt__rw__number=rw)
    order = [*OUT_OF_SCHOOL_SORTS.get(sort, OUT_OF_SCHOOL_SORTS["desil"]), "pk"]
    return rows.order_by(*[F(k).asc(nulls_last=True) if k == "decile" else k for k in order])


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def household_schooling(household) -> list[dict]:
    """The household's children with student records: current record, last months, warnings."""
    year = current_year()
    students = list(Student.objects.filter(resident__household=household, resident__status="active")
                    .select_related("school", "resident").order_by("resident__birth_date", "-school_year"))
    if not students:
        return []
    resident_of = {s.pk: s.resident_id for s in students}
    months: dict[int, list[Attendance]] = {}
    for a in Attendance.objects.filter(student__in=students).order_by("-month"):
        months.setdefault(resident_of[a.student_id], []).append(a)
    events: dict[int, list[ConditionEvent]] = {}
    for e in ConditionEvent.objects.filter(student__in=students).select_related("enrollment__program").order_by(
            "-month", "-pk"):
        events.setdefault(resident_of[e.student_id], []).append(e)
    out, seen = [], set()
    for s in students:
        if s.resident_id in seen:
            continue
        seen.add(s.resident_id)
        current = next((r for r in students if r.resident_id == s.resident_id and r.school_year == year
                        and r.status == StudentStatus.ENROLLED), s)
        out.append({"resident": s.resident, "student": current, "months": months.get(s.resident_id, [])[:3],
                    "events": events.get(s.resident_id, [])[:3]})
    return out
