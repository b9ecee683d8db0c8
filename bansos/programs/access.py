"""Object-level rules on programs: an officer acts on their own agency's programs only.

``bansos.accounts.permissions`` answers "may this role do X at all" and household scope; this module
adds "... to this program". Services call ``require_program``; pages and templates call the
``can_*`` functions to decide what to show.
"""

from __future__ import annotations

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_perm, has_role_perm
from bansos.core.errors import PermissionDeniedError
from django.utils.translation import gettext_lazy as _

MSG_OTHER_AGENCY = _("Program ini milik lembaga lain; Anda hanya dapat mengelola program lembaga Anda.")


def program_in_agency(user, program) -> bool:
    """Whether ``program`` belongs to the user's agency (admins: every program)."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.OFFICER and user.agency_id is not None and program.agency_id == user.agency_id


def can_program(user, perm: str, program) -> bool:
    """``perm`` (PROGRAM_MANAGE, ENROLLMENT_MANAGE, REFERRAL_MANAGE) on this program."""
    return has_role_perm(user, perm) and program_in_agency(user, program)


def require_program(user, perm: str, program) -> None:
    if not has_role_perm(user, perm):
        raise PermissionDeniedError()
    if not program_in_agency(user, program):
        raise PermissionDeniedError(MSG_OTHER_AGENCY)


def agency_for_new_program(user, agency):
    """The agency a new program of ``user`` belongs to: an officer's own, whatever was asked."""
    if user.role == Role.OFFICER:
        if agency is not None and agency.pk != user.agency_id:
            raise PermissionDeniedError(MSG_OTHER_AGENCY)
        return user.agency
    return agency


def can_nominate(user, household) -> bool:
    """RT/RW officers nominate households of their own area; staff of programs apply for anyone."""
    return has_perm(user, P.ENROLLMENT_NOMINATE, household)


def can_see_program_details(user, program) -> bool:
    """Other agencies' enrollments show only the program's kind, never its agency or details."""
    return user.role == Role.ADMIN or program_in_agency(user, program)
