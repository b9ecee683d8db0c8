"""Reads of data-subject requests (UU PDP), scoped like the households they are about."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from bansos.accounts.permissions import P, has_perm, has_role_perm, household_scope
from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.registry.models import DataSubjectRequest, DsrStatus

OPEN_STATUSES = (DsrStatus.RECEIVED, DsrStatus.IN_PROGRESS)


def dsr_list(*, user, status: str = "", overdue: bool = False) -> QuerySet[DataSubjectRequest]:
    """Requests about households in the user's scope, the most urgent first."""
    if not has_role_perm(user, P.DSR_MANAGE):
        raise PermissionDeniedError()
    household_ids = Q(household__in=_scoped_households(user))
    qs = DataSubjectRequest.objects.filter(household_ids).select_related("household", "resident", "handled_by")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    return qs.order_by("closed_at", "due_at", "pk")


def _scoped_households(user):
    from bansos.registry.models import Household

    return Household.objects.filter(household_scope(user)).values("pk")


def dsr_get(*, user, pk: int) -> DataSubjectRequest:
    """One request, or NotFoundError when missing or about a household outside the user's scope."""
    try:
        request = DataSubjectRequest.objects.select_related("household__rt__rw", "resident", "handled_by").get(pk=pk)
    except DataSubjectRequest.DoesNotExist:
        raise NotFoundError() from None
    if not has_perm(user, P.DSR_MANAGE, request.household):
        raise NotFoundError()
    return request


def dsr_is_overdue(request: DataSubjectRequest, *, now=None) -> bool:
    return request.status in OPEN_STATUSES and request.due_at < (now or timezone.now())
