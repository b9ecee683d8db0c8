"""Who sees and handles which grievance.

- The kelurahan admin: every grievance.
- A program officer (``P.GRIEVANCE_HANDLE``): grievances assigned to its agency or about one of its
  agency's programs. A grievance about another agency's program is not theirs until it is assigned.
- An RT/RW officer: grievances concerning its RW (or its RT when the account is scoped to one).
- A resident: only the grievances its account filed, and the named ones filed for its household.
  Grievances *about* its household (a fraud report naming it) are never shown to it.
- The evaluator: the dashboard's aggregates only (``P.GRIEVANCE_DASHBOARD``), no grievance.

An anonymous report carries no name or phone; pages show "Anonim" for it to every staff member,
and the audit trail records no actor for its filing.
"""

from __future__ import annotations

from django.db.models import Q

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import NotFoundError, PermissionDeniedError

NONE = Q(pk__in=[])


def staff_scope(user) -> Q:
    """A filter on Grievance keeping what this staff user may see and handle."""
    if not has_role_perm(user, P.GRIEVANCE_HANDLE):
        return NONE
    if user.role == Role.ADMIN:
        return Q()
    if user.role == Role.OFFICER and user.agency_id:
        return Q(agency_id=user.agency_id) | Q(program__agency_id=user.agency_id)
    if user.role == Role.SURVEYOR:
        if user.rt_id:
            return Q(rt_id=user.rt_id)
        return Q(rw_id=user.rw_id) if user.rw_id else NONE
    return NONE


def resident_scope(user) -> Q:
    """A filter on Grievance keeping what a signed-in resident filed (or was filed by name for its household)."""
    if not (user is not None and user.is_authenticated and user.is_active and user.role == Role.RESIDENT):
        return NONE
    mine = Q(complainant_user_id=user.pk)
    if user.household_id:
        mine |= Q(complainant_household_id=user.household_id, anonymous=False)
    return mine


def dashboard_scope(user) -> Q:
    """Which grievances the dashboard counts: all for the admin and the evaluator (aggregates), else the handler's."""
    if not has_role_perm(user, P.GRIEVANCE_DASHBOARD):
        return NONE
    if user.role in (Role.ADMIN, Role.EVALUATOR):
        return Q()
    return staff_scope(user)


def can_handle(user, grievance) -> bool:
    if not has_role_perm(user, P.GRIEVANCE_HANDLE):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.OFFICER:
        program_agency = grievance.program.agency_id if grievance.program_id else None
        return user.agency_id is not None and user.agency_id in (grievance.agency_id, program_agency)
    if user.role == Role.SURVEYOR:
        return grievance.rt_id == user.rt_id if user.rt_id else grievance.rw_id == user.rw_id
    return False


def is_complainant(user, grievance) -> bool:
    if not (user is not None and user.is_authenticated and user.is_active and user.role == Role.RESIDENT):
        return False
    if grievance.complainant_user_id == user.pk:
        return True
    return (not grievance.anonymous and user.household_id is not None
            and grievance.complainant_household_id == user.household_id)


def require_handle(user, grievance) -> None:
    if not has_role_perm(user, P.GRIEVANCE_HANDLE):
        raise PermissionDeniedError()
    if not can_handle(user, grievance):
        # Out of scope reads as "not there": the grievance's existence is no one else's business.
        raise NotFoundError()


def can_assign_anywhere(user) -> bool:
    """The admin and RT/RW officers forward to any agency; an officer only within its own agency."""
    return user.role in (Role.ADMIN, Role.SURVEYOR)
