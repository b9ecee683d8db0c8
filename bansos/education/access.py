"""Who may keep schools, student records and attendance.

``P.EDUCATION_MANAGE`` (the kelurahan admin and program officers) keeps the school list and the
student records. A student enrolled in an education program is also that program's participant: an
officer changes the records and attendance of such a student only when every education program the
student takes part in belongs to the officer's agency (attendance may suspend the enrollment, which
only the program's own agency may do). The admin may do all.
"""

from __future__ import annotations

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import PermissionDeniedError
from bansos.programs.access import MSG_OTHER_AGENCY, program_in_agency

LIVE_STATES = ("approved", "active", "suspended")


def can_manage(user) -> bool:
    return has_role_perm(user, P.EDUCATION_MANAGE)


def require_manage(user) -> None:
    if not can_manage(user):
        raise PermissionDeniedError()


def student_programs(resident_id: int) -> list:
    """The education programs the resident takes part in (approved, active or suspended)."""
    from bansos.programs.models import Program

    return list(Program.objects.filter(kind="education", enrollments__resident_id=resident_id,
                                       enrollments__state__in=LIVE_STATES).distinct())


def can_student(user, resident_id: int) -> bool:
    if not can_manage(user):
        return False
    return all(program_in_agency(user, p) for p in student_programs(resident_id))


def require_student(user, resident_id: int) -> None:
    require_manage(user)
    if not can_student(user, resident_id):
        raise PermissionDeniedError(MSG_OTHER_AGENCY)


def can_program(user, program) -> bool:
    """Set the attendance condition of, and enroll students into, an education program."""
    return can_manage(user) and program.kind == "education" and program_in_agency(user, program)


def require_program(user, program) -> None:
    require_manage(user)
    if not program_in_agency(user, program):
        raise PermissionDeniedError(MSG_OTHER_AGENCY)
