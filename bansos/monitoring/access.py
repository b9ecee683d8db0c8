"""Who sees which dashboard, and whether small cells are shown.

Every holder of ``P.MONITORING_VIEW`` sees the kelurahan, RW and funding-source pages of aggregates.
A program officer sees the program and agency pages (and funding sources) of its own agency only:
another agency's per-program figures are that agency's business (DESIGN §2). Small cells (1-4
households) are shown, marked, to staff who handle personal data anyway (admin, officer, surveyor,
cadre); the evaluator's pages, every export and the API suppress them.
"""

from __future__ import annotations

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import PermissionDeniedError

REVEALING_ROLES = (Role.ADMIN, Role.OFFICER, Role.SURVEYOR, Role.CADRE)


def can_view(user) -> bool:
    return has_role_perm(user, P.MONITORING_VIEW)


def can_manage(user) -> bool:
    return has_role_perm(user, P.MONITORING_MANAGE)


def reveals_small_cells(user) -> bool:
    """Whether the staff page may show cells of 1-4 households (marked) instead of suppressing them."""
    return can_view(user) and user.role in REVEALING_ROLES


def _own_agency(user, agency_id: int | None) -> bool:
    if user.role != Role.OFFICER:
        return True
    return user.agency_id is not None and agency_id == user.agency_id


def can_view_agency(user, agency_id: int | None) -> bool:
    return can_view(user) and _own_agency(user, agency_id)


def can_view_program(user, program) -> bool:
    return can_view_agency(user, program.agency_id)


def can_view_funding(user, source) -> bool:
    return can_view_agency(user, source.agency_id)


def require_view(user) -> None:
    if not can_view(user):
        raise PermissionDeniedError()


def require_agency(user, agency_id: int | None) -> None:
    if not can_view_agency(user, agency_id):
        raise PermissionDeniedError()
