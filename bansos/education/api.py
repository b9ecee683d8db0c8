"""Education API: schools, students, monthly attendance (record, CSV import), the out-of-school list.

The same services and rules as the pages (``bansos.education.access``): ``P.EDUCATION_MANAGE``, and
for students in an education program, the program's own agency (or the admin).
"""

from __future__ import annotations

from ninja import File, Router, UploadedFile

from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError
from bansos.education import selectors
from bansos.education.access import require_manage
from bansos.education.models import School, Student
from bansos.education.schemas import (
    SchoolAttendanceIn, SchoolAttendanceOut, SchoolImportOut, OutOfSchoolOut, SchoolIn, SchoolOut, StudentIn, StudentOut,
)
from bansos.education.services import importing, schools, students
from bansos.education.services.attendance import attendance_record

router = Router(tags=["education"])


def _school(s: School) -> dict:
    return {"id": s.pk, "name": s.name, "level": s.level, "is_private": s.is_private, "npsn": s.npsn,
            "address": s.address, "is_active": s.is_active}


def _student(s: Student) -> dict:
    return {"id": s.pk, "resident_id": s.resident_id, "name": s.resident.full_name, "school_id": s.school_id,
            "grade": s.grade, "school_year": s.school_year, "nisn": s.nisn, "status": s.status}


@router.get("/education/schools", response={200: list[SchoolOut], **ERROR_RESPONSES},
            operation_id="education_school_list", summary="Schools, by level and name")
def education_school_list(request, level: str = ""):
    require_manage(request.auth)
    return [_school(s) for s in selectors.school_list(level=level)]


@router.post("/education/schools", response={201: SchoolOut, **ERROR_RESPONSES},
             operation_id="education_school_create", summary="Add a school")
def education_school_create(request, payload: SchoolIn):
    return Status(201, _school(schools.school_create(actor=request.auth, data=payload.dict())))


@router.get("/education/schools/{school_id}/students", response={200: list[StudentOut], **ERROR_RESPONSES},
            operation_id="education_student_list", summary="A school's current students of a school year")
def education_student_list(request, school_id: int, school_year: str = "", grade: int | None = None):
    require_manage(request.auth)
    school = School.objects.filter(pk=school_id).first()
    if school is None:
        raise NotFoundError()
    rows = selectors.school_students(school, year=school_year or selectors.current_year(), grade=grade)
    return [_student(s) for s in rows[:5000]]


@router.post("/education/students", response={201: StudentOut, **ERROR_RESPONSES},
             operation_id="education_student_enroll", summary="Record that a resident attends a school")
def education_student_enroll(request, payload: StudentIn):
    from bansos.registry.models import Resident

    require_manage(request.auth)
    resident = Resident.objects.filter(pk=payload.resident_id).select_related("household").first()
    school = School.objects.filter(pk=payload.school_id).first()
    if resident is None or school is None:
        raise NotFoundError()
    student = students.student_enroll(actor=request.auth, resident=resident, school=school, grade=payload.grade,
                                      school_year=payload.school_year, nisn=payload.nisn)
    return Status(201, _student(student))


@router.post("/education/attendance", response={200: SchoolAttendanceOut, **ERROR_RESPONSES},
             operation_id="education_attendance_record",
             summary="Record a student's attendance for a month; answers with the condition's warnings")
def education_attendance_record(request, payload: SchoolAttendanceIn):
    from bansos.education.models import AttendanceSource

    require_manage(request.auth)
    student = Student.objects.filter(pk=payload.student_id).first()
    if student is None:
        raise NotFoundError()
    outcome = attendance_record(actor=request.auth, student=student, month=payload.month,
                                present_days=payload.present_days, school_days=payload.school_days,
                                source=AttendanceSource.API)
    a = outcome.attendance
    return {"student_id": student.pk, "month": a.month, "present_days": a.present_days,
            "school_days": a.school_days, "percent": a.percent,
            "events": [{"kind": e.kind, "month": e.month, "percent": e.percent, "minimum": e.minimum,
                        "program_id": e.enrollment.program_id} for e in outcome.events]}


@router.post("/education/attendance/import", response={200: SchoolImportOut, **ERROR_RESPONSES},
             operation_id="education_attendance_import",
             summary="Import monthly attendance from CSV (nisn or nik, bulan, hadir, hari_sekolah); per-row report")
def education_attendance_import(request, file: UploadedFile = File(...)):
    require_manage(request.auth)
    report = importing.attendance_import(actor=request.auth, content=file.read(importing.MAX_BYTES + 1),
                                         filename=file.name or "")
    return {"total": report.total, "stored": report.stored, "rejected": report.rejected, "rows": report.rows}


@router.get("/education/out-of-school", response={200: list[OutOfSchoolOut], **ERROR_RESPONSES},
            operation_id="education_out_of_school",
            summary="School-age residents (7-18) not in school, with the household's welfare decile")
def education_out_of_school(request, rw: int | None = None, sort: str = "desil", limit: int = 500,
                            offset: int = 0):
    require_manage(request.auth)
    limit = max(1, min(limit, 5000))
    rows = selectors.out_of_school(rw=rw, sort=sort)[max(0, offset):max(0, offset) + limit]
    return [{"resident_id": r["pk"], "name": r["full_name"], "birth_date": r["birth_date"],
             "household_id": r["household_id"], "rw": r["rw_number"], "rt": r["rt_number"],
             "school_enrolment": r["school_enrolment"], "decile": r["decile"], "in_program": r["in_program"]}
            for r in rows]
