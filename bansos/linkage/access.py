"""Object-level rules of the linkage app.

Deduplication of the registry (runs, pairs, merges) is ``P.LINKAGE_MANAGE`` (the kelurahan admin).
An agency list belongs to the agency that uploaded it: its officers (``P.LINKAGE_AGENCY_LIST``) and the
admin see and work on it; another agency's officer does not even learn that it exists (404, not 403).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import NotFoundError, PermissionDeniedError

MSG_NO_AGENCY = _("Akun Anda tidak terhubung dengan lembaga mana pun.")


def can_manage_linkage(user) -> bool:
    return has_role_perm(user, P.LINKAGE_MANAGE)


def require_manage_linkage(user) -> None:
    if not can_manage_linkage(user):
        raise PermissionDeniedError()


def can_use_lists(user) -> bool:
    return has_role_perm(user, P.LINKAGE_AGENCY_LIST)


def require_lists(user) -> None:
    if not can_use_lists(user):
        raise PermissionDeniedError()


def list_in_scope(user, agency_list) -> bool:
    """Whether ``agency_list`` is the user's agency's (admins: every list)."""
    if not can_use_lists(user):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.OFFICER and user.agency_id is not None and agency_list.agency_id == user.agency_id


def require_list(user, agency_list) -> None:
    """Refuse a list of another agency as if it did not exist."""
    require_lists(user)
    if not list_in_scope(user, agency_list):
        raise NotFoundError()


def lists_visible(user, queryset):
    """The lists of ``queryset`` the user may see."""
    if not can_use_lists(user):
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.role == Role.OFFICER and user.agency_id:
        return queryset.filter(agency_id=user.agency_id)
    return queryset.none()


def agency_for_upload(user, agency):
    """The agency a new list belongs to: an officer's own whatever was asked; an admin must choose."""
    require_lists(user)
    if user.role == Role.OFFICER:
        if user.agency_id is None:
            raise PermissionDeniedError(MSG_NO_AGENCY)
        if agency is not None and agency.pk != user.agency_id:
            raise PermissionDeniedError()
        return user.agency
    return agency
