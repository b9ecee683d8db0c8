"""Reads of the cash app."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from bansos.cash.models import Entitlement, Payment


def household_entitlements(household) -> list[Entitlement]:
    """Every entitlement of the household, newest cycle first, with its payment attempts."""
    return list(
        Entitlement.objects.filter(household=household)
        .select_related("cycle__program__agency", "cycle__institution")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("attempt").select_related("receipt")))
        .order_by("-cycle__period_start", "-pk")
    )


def cycle_payments(cycle) -> QuerySet[Payment]:
    return Payment.objects.filter(batch__cycle=cycle).select_related("entitlement", "batch").order_by("pk")
