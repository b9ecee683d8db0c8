"""Monthly attendance and the attendance condition of education programs.

The condition (per program, ``EducationTerms``; default: at least 85 % of school days each month):
a month under the condition warns (a ``ConditionEvent``, shown on the pages); ``misses_to_suspend``
consecutive months under it (default 2: the warning month and the next) suspend the enrollment
through the programs' workflow (``enrollment_suspend``, audited), so the next cash cycle skips it.
Consecutive means calendar months with a record in a row: a month without a record breaks the run.
A later month at or above the condition resumes an enrollment the condition suspended (when the
program's ``resume_on_pass`` is on), again through the workflow. An approved enrollment not yet
started cannot be suspended (the workflow forbids it): it gets the warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import Errors, raise_if_errors
from bansos.education.access import LIVE_STATES, require_student
from bansos.education.calendar import parse_month, previous_month, year_months
from bansos.education.models import Attendance, AttendanceSource, ConditionEvent, ConditionKind, EducationTerms, Student

MSG_MONTH = _("Bulan tidak valid (tulis seperti 2026-09).")
MSG_MONTH_FUTURE = _("Kehadiran bulan yang belum berakhir belum dapat dicatat.")
MSG_MONTH_YEAR = _("Bulan ini di luar tahun ajaran %(year)s siswa ini.")
MSG_SCHOOL_DAYS = _("Hari sekolah antara 1 dan 31.")
MSG_PRESENT = _("Hari hadir antara 0 dan jumlah hari sekolah.")
SUSPEND_REASON = _("Kehadiran di bawah %(min)s%% selama %(n)s bulan berturut-turut (terakhir %(month)s: %(pct)s%%).")
RESUME_NOTE = _("Kehadiran %(month)s kembali memenuhi syarat (%(pct)s%%).")

DEFAULT_TERMS = EducationTerms(min_attendance=85, misses_to_suspend=2, resume_on_pass=True)


def terms_of(program) -> EducationTerms:
    return EducationTerms.objects.filter(program=program).first() or DEFAULT_TERMS


@dataclass
class Outcome:
    attendance: Attendance
    created: bool
    events: list[ConditionEvent] = field(default_factory=list)


def _int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number


def clean_attendance(student: Student, month, present, school_days, today: dt.date) -> tuple[dt.date, int, int]:
    errors = Errors()
    month = parse_month(month)
    if month is None:
        errors.add("month", MSG_MONTH)
    elif month > today.replace(day=1):
        errors.add("month", MSG_MONTH_FUTURE)
    elif month not in year_months(student.school_year):
        errors.add("month", MSG_MONTH_YEAR, year=student.school_year)
    days, present = _int(school_days), _int(present)
    if days is None or not 1 <= days <= 31:
        errors.add("school_days", MSG_SCHOOL_DAYS)
    elif present is None or not 0 <= present <= days:
        errors.add("present_days", MSG_PRESENT)
    raise_if_errors(errors)
    return month, present, days


@transaction.atomic
def attendance_record(*, actor, student: Student, month, present_days, school_days,
                      source: str = AttendanceSource.ENTRY) -> Outcome:
    """Record (or correct) one student's attendance for a month, then apply the attendance condition."""
    require_student(actor, student.resident_id)
    student = Student.objects.select_for_update().select_related("resident").get(pk=student.pk)
    month, present, days = clean_attendance(student, month, present_days, school_days, timezone.localdate())
    row = Attendance.objects.filter(student=student, month=month).first()
    now = timezone.now()
    created = row is None
    if created:
        row = Attendance.objects.create(student=student, month=month, present_days=present, school_days=days,
                                        source=source, recorded_by=actor, recorded_at=now)
        changes = {"month": month.isoformat(), "present_days": present, "school_days": days}
    else:
        if (row.present_days, row.school_days) == (present, days):
            return Outcome(row, False)
        changes = {"month": month.isoformat(), "present_days": [row.present_days, present],
                   "school_days": [row.school_days, days]}
        row.present_days, row.school_days, row.source, row.recorded_by, row.recorded_at = (
            present, days, source, actor, now)
        row.save(update_fields=["present_days", "school_days", "source", "recorded_by", "recorded_at"])
    audit_log(actor=actor, action="education.attendance.record" if created else "education.attendance.correct",
              obj=student, household_id=student.resident.household_id, changes=changes)
    return Outcome(row, created, apply_condition(actor=actor, student=student, attendance=row))


def _misses(student: Student, month: dt.date, minimum: int) -> int:
    """Calendar months in a row, ending with ``month``, whose attendance is under ``minimum``."""
    rows = {a.month: a for a in Attendance.objects.filter(student__resident_id=student.resident_id,
                                                          month__lte=month).order_by("-month")[:12]}
    count, current = 0, month
    while current in rows and not rows[current].meets(minimum):
        count += 1
        current = previous_month(current)
    return count


def apply_condition(*, actor, student: Student, attendance: Attendance) -> list[ConditionEvent]:
    """Warn, suspend or resume the student's education enrollments after one month's attendance."""
    from bansos.programs.models import Enrollment, EnrollmentState
    from bansos.programs.services.enrollment import enrollment_resume, enrollment_suspend

    events = []
    enrollments = Enrollment.objects.filter(resident_id=student.resident_id, program__kind="education",
                                            state__in=LIVE_STATES).select_related("program").order_by("pk")
    month_label = attendance.month.strftime("%m/%Y")
    for enrollment in enrollments:
        terms = terms_of(enrollment.program)
        pct = attendance.percent
        base = {"enrollment": enrollment, "student": student, "month": attendance.month, "percent": pct,
                "minimum": terms.min_attendance}
        if attendance.meets(terms.min_attendance):
            last = ConditionEvent.objects.filter(enrollment=enrollment).exclude(kind=ConditionKind.WARNING).first()
            if (enrollment.state == EnrollmentState.SUSPENDED and terms.resume_on_pass and last is not None
                    and last.kind == ConditionKind.SUSPENDED and attendance.month > last.month):
                enrollment_resume(actor=actor, enrollment=enrollment,
                                  note=str(RESUME_NOTE % {"month": month_label, "pct": pct}))
                events.append(_event(ConditionKind.RESUMED, base, 0))
            continue
        misses = _misses(student, attendance.month, terms.min_attendance)
        if misses >= terms.misses_to_suspend and enrollment.state == EnrollmentState.ACTIVE:
            reason = str(SUSPEND_REASON % {"min": terms.min_attendance, "n": misses, "month": month_label,
                                           "pct": pct})
            enrollment_suspend(actor=actor, enrollment=enrollment, reason=reason)
            events.append(_event(ConditionKind.SUSPENDED, base, misses))
        elif enrollment.state != EnrollmentState.SUSPENDED:
            event = _event(ConditionKind.WARNING, base, misses)
            if event is not None:
                audit_log(actor=actor, action="education.condition.warning", obj=student,
                          household_id=student.resident.household_id,
                          changes={"program": str(enrollment.program), "month": attendance.month.isoformat(),
                                   "percent": pct, "minimum": terms.min_attendance, "misses": misses})
                events.append(event)
    return [e for e in events if e is not None]


def _event(kind: str, base: dict, misses: int) -> ConditionEvent | None:
    event, created = ConditionEvent.objects.get_or_create(
        enrollment=base["enrollment"], month=base["month"], kind=kind,
        defaults={"student": base["student"], "percent": base["percent"], "minimum": base["minimum"],
                  "misses": misses})
    return event if created else None

