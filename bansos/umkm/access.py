"""Object-level rules on micro-businesses.

An officer manages the businesses whose supporting program belongs to their agency; the kelurahan
admin manages all (``P.UMKM_MANAGE`` plus ``programs.access.program_in_agency``). Services call
``require_business``/``require_umkm_program``; pages and templates call the ``can_*`` functions.
"""

from __future__ import annotations

from django.db.models import Q

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import PermissionDeniedError
from bansos.programs.access import MSG_OTHER_AGENCY, program_in_agency


def can_manage_umkm(user) -> bool:
    """Whether the user's role manages businesses at all (no object check)."""
    return has_role_perm(user, P.UMKM_MANAGE)


def can_manage_program(user, program) -> bool:
    return has_role_perm(user, P.UMKM_MANAGE) and program_in_agency(user, program)


def can_manage_business(user, business) -> bool:
    return can_manage_program(user, business.program)


def require_umkm_role(user) -> None:
    if not has_role_perm(user, P.UMKM_MANAGE):
        raise PermissionDeniedError()


def require_umkm_program(user, program) -> None:
    require_umkm_role(user)
    if not program_in_agency(user, program):
        raise PermissionDeniedError(MSG_OTHER_AGENCY)


def require_business(user, business) -> None:
    require_umkm_program(user, business.program)


def business_scope(user) -> Q:
    """A filter on Business keeping what the user manages (nothing for other roles)."""
    if not has_role_perm(user, P.UMKM_MANAGE):
        return Q(pk__in=[])
    if user.role == Role.ADMIN:
        return Q()
    return Q(program__agency_id=user.agency_id) if user.agency_id else Q(pk__in=[])
