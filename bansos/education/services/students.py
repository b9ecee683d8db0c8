"""Student records: enroll a resident at a school for a school year, and end a record.

The registry's "school enrolment" of the person follows, through the registry's own service
(``resident_school_enrolment_set``), in the same transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, raise_if_errors
from bansos.education.access import require_student
from bansos.education.calendar import school_year_of, valid_school_year
from bansos.education.models import MAX_GRADE, STUDENT_TRANSITIONS, School, Student, StudentStatus
from bansos.registry.models import ResidentStatus

MSG_SCHOOL_INACTIVE = _("Sekolah ini tidak aktif.")
MSG_GRADE = _("Kelas untuk jenjang %(level)s antara %(low)s dan %(high)s.")
MSG_YEAR = _("Tahun ajaran ditulis seperti 2026/2027.")
MSG_NISN = _("NISN terdiri dari 10 angka; kosongkan bila belum diketahui.")
MSG_ALREADY = _("Warga ini sudah tercatat bersekolah pada tahun ajaran %(year)s (%(school)s).")
MSG_RESIDENT_INACTIVE = _("Warga ini tidak aktif di registri.")
MSG_STATUS = _("Status siswa tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_REASON = _("Alasan wajib diisi.")

# What the registry records about the person when a record takes each status.
REGISTRY_STATUS = {StudentStatus.ENROLLED: "enrolled", StudentStatus.DROPPED_OUT: "dropped_out"}


def _registry_set(actor, resident, value: str, reason: str) -> None:
    from bansos.registry.services import resident_school_enrolment_set

    if resident.school_enrolment != value:
        resident_school_enrolment_set(actor=actor, resident=resident, school_enrolment=value, reason=reason)


@transaction.atomic
def student_enroll(*, actor, resident, school: School, grade: int, school_year: str | None = None,
                   nisn: str = "") -> Student:
    """Record that ``resident`` attends ``school`` in ``grade`` this (or the given) school year."""
    require_student(actor, resident.pk)
    school_year = (school_year or school_year_of(timezone.localdate())).strip()
    errors = Errors()
    if resident.status != ResidentStatus.ACTIVE:
        errors.add("resident", MSG_RESIDENT_INACTIVE)
    if not school.is_active:
        errors.add("school", MSG_SCHOOL_INACTIVE)
    low, high = MAX_GRADE[school.level]
    if not isinstance(grade, int) or not low <= grade <= high:
        errors.add("grade", MSG_GRADE, level=school.get_level_display(), low=low, high=high)
    if not valid_school_year(school_year):
        errors.add("school_year", MSG_YEAR)
    nisn = (nisn or "").strip()
    if nisn and not (len(nisn) == 10 and nisn.isdigit()):
        errors.add("nisn", MSG_NISN)
    raise_if_errors(errors)
    current = Student.objects.filter(resident=resident, school_year=school_year,
                                     status=StudentStatus.ENROLLED).select_related("school").first()
    if current is not None:
        raise DomainError("already_enrolled", MSG_ALREADY, year=school_year, school=current.school.name)
    try:
        with transaction.atomic():
            student = Student.objects.create(resident=resident, school=school, grade=grade, school_year=school_year,
                                             nisn=nisn, created_by=actor)
    except IntegrityError:  # a twin request recorded the year first
        raise DomainError("already_enrolled", MSG_ALREADY, year=school_year, school=school.name) from None
    audit_log(actor=actor, action="education.student.enroll", obj=student, household_id=resident.household_id,
              changes={"school": school.name, "grade": grade, "school_year": school_year})
    if school_year == school_year_of(timezone.localdate()):
        _registry_set(actor, resident, "enrolled", str(_("terdaftar di %(school)s") % {"school": school.name}))
    return student


@transaction.atomic
def student_set_status(*, actor, student: Student, status: str, reason: str) -> Student:
    """End (or reopen) a student record: dropped out, graduated, moved; the registry follows."""
    require_student(actor, student.resident_id)
    student = Student.objects.select_for_update().select_related("resident", "school").get(pk=student.pk)
    if status not in STUDENT_TRANSITIONS.get(student.status, set()):
        raise DomainError("student_status", MSG_STATUS, old=student.get_status_display(),
                          new=dict(StudentStatus.choices).get(status, status))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", MSG_REASON, field="reason")
    old = student.status
    student.status, student.status_reason = status, reason[:200]
    try:
        with transaction.atomic():
            student.save(update_fields=["status", "status_reason", "updated_at"])
    except IntegrityError:
        raise DomainError("already_enrolled", MSG_ALREADY, year=student.school_year, school="") from None
    audit_log(actor=actor, action="education.student.status", obj=student, household_id=student.resident.household_id,
              changes={"status": [old, status]}, reason=reason)
    if student.school_year == school_year_of(timezone.localdate()):
        other = Student.objects.filter(resident_id=student.resident_id, school_year=student.school_year,
                                       status=StudentStatus.ENROLLED).exclude(pk=student.pk).exists()
        if status in REGISTRY_STATUS:
            _registry_set(actor, student.resident, REGISTRY_STATUS[status], reason)
        elif status == StudentStatus.GRADUATED and not other:
            _registry_set(actor, student.resident, "finished", reason)
        # "moved": the child goes on in another school, still in school.
    return student
