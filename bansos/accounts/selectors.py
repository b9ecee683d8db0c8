"""Reads of accounts and partner agencies for the admin pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from bansos.accounts.models import Agency, Role, User
from bansos.accounts.permissions import P, require
from bansos.core.errors import NotFoundError


@dataclass(frozen=True)
class UserFilters:
    role: str = ""
    active: str = ""  # "" all, "1" active only, "0" inactive only
    q: str = ""


def user_list(*, actor, filters: UserFilters) -> QuerySet[User]:
    """Accounts matching the filters, with everything a list row shows joined in."""
    require(actor, P.USERS_MANAGE)
    qs = User.objects.select_related("agency", "rw", "rt__rw", "posyandu", "household")
    if filters.role in Role.values:
        qs = qs.filter(role=filters.role)
    if filters.active == "1":
        qs = qs.filter(is_active=True)
    elif filters.active == "0":
        qs = qs.filter(is_active=False)
    text = (filters.q or "").strip()
    if text:
        qs = qs.filter(Q(username__icontains=text) | Q(first_name__icontains=text))
    return qs.order_by("username")


def user_get(*, actor, pk: int) -> User:
    require(actor, P.USERS_MANAGE)
    try:
        return User.objects.select_related("agency", "rw", "rt__rw", "posyandu", "household").get(pk=pk)
    except User.DoesNotExist:
        raise NotFoundError() from None


def agency_list(*, actor) -> QuerySet[Agency]:
    """Partner agencies with how many active officers each has."""
    require(actor, P.AGENCIES_MANAGE)
    return Agency.objects.annotate(
        staff_count=Count("staff", filter=Q(staff__is_active=True))
    ).order_by("name")


def agency_get(*, actor, pk: int) -> Agency:
    require(actor, P.AGENCIES_MANAGE)
    try:
        return Agency.objects.get(pk=pk)
    except Agency.DoesNotExist:
        raise NotFoundError() from None
