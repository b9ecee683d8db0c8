"""Object-level rules of usul/sanggah and youth proposals.

``P.NOMINATION_DECIDE`` says "may decide nominations and objections at all"; the case's scope says which:
the kelurahan admin every case, an RT/RW officer (surveyor) the cases on households of its RW (or RT), a
program officer the cases on its own agency's programs. Residents file cases for themselves only.
"""

from __future__ import annotations

from django.db.models import Q

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import PermissionDeniedError


def _household_rw_q(user, prefix: str) -> Q:
    if user.rt_id:
        return Q(**{f"{prefix}rt_id": user.rt_id})
    return Q(**{f"{prefix}rt__rw_id": user.rw_id})


def case_scope(user) -> Q:
    """A filter on Nomination or Objection keeping the cases ``user`` may check and decide."""
    none = Q(pk__in=[])
    if not has_role_perm(user, P.NOMINATION_DECIDE):
        return none
    if user.role == Role.ADMIN:
        return Q()
    if user.role == Role.SURVEYOR and user.rw_id:
        return _household_rw_q(user, "household__")
    if user.role == Role.OFFICER and user.agency_id:
        return Q(program__agency_id=user.agency_id)
    return none


def can_decide_case(user, case) -> bool:
    if not has_role_perm(user, P.NOMINATION_DECIDE):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.SURVEYOR and user.rw_id:
        household = case.household
        return household.rt_id == user.rt_id if user.rt_id else household.rt.rw_id == user.rw_id
    if user.role == Role.OFFICER and user.agency_id:
        return case.program.agency_id == user.agency_id
    return False


def require_decide_case(user, case) -> None:
    if not can_decide_case(user, case):
        raise PermissionDeniedError()


def is_resident(user) -> bool:
    return (user is not None and user.is_authenticated and user.is_active and user.role == Role.RESIDENT
            and user.household_id is not None)


def require_resident(user) -> None:
    if not is_resident(user):
        raise PermissionDeniedError()


def can_review_proposals(user) -> bool:
    return has_role_perm(user, P.PROPOSAL_REVIEW)


def require_review(user) -> None:
    if not can_review_proposals(user):
        raise PermissionDeniedError()


def can_manage_listing(user) -> bool:
    return has_role_perm(user, P.AREAS_MANAGE)
