"""Object-level rules on courses.

A course belongs to a program and so to the program's agency: its officers (``P.TRAINING_MANAGE``) and
the kelurahan admin manage it. Officers of the course's partner company (an agency of kind "business")
often host the sessions: they may view the course and take attendance, nothing else.
"""

from __future__ import annotations

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import PermissionDeniedError
from bansos.programs.access import MSG_OTHER_AGENCY, program_in_agency


def can_manage_course(user, course) -> bool:
    """Create, edit, schedule, enrol, finish, certify: the program's agency and the admin."""
    return has_role_perm(user, P.TRAINING_MANAGE) and program_in_agency(user, course.program)


def is_partner_officer(user, course) -> bool:
    return (has_role_perm(user, P.TRAINING_MANAGE) and user.role == Role.OFFICER and course.partner_id is not None
            and user.agency_id == course.partner_id)


def can_view_course(user, course) -> bool:
    return can_manage_course(user, course) or is_partner_officer(user, course)


def can_take_attendance(user, course) -> bool:
    return can_view_course(user, course)


def can_manage_program_courses(user, program) -> bool:
    """Whether the user may create a course under ``program``."""
    return has_role_perm(user, P.TRAINING_MANAGE) and program_in_agency(user, program)


def require_manage_course(user, course) -> None:
    if not has_role_perm(user, P.TRAINING_MANAGE):
        raise PermissionDeniedError()
    if not can_manage_course(user, course):
        raise PermissionDeniedError(MSG_OTHER_AGENCY)


def require_view_course(user, course) -> None:
    if not can_view_course(user, course):
        raise PermissionDeniedError()


def require_attendance(user, course) -> None:
    if not can_take_attendance(user, course):
        raise PermissionDeniedError()
