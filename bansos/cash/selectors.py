"""Reads of the cash app."""

from __future__ import annotations

from django.db.models import Prefetch, Sum

from bansos.cash.models import Entitlement, EntitlementState, Payment


def household_entitlements(household) -> list[Entitlement]:
    """Every entitlement of the household, newest cycle first, with its payment attempts."""
    return list(
        Entitlement.objects.filter(household=household)
        .select_related("cycle__program__agency", "cycle__institution")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("attempt").select_related("receipt")))
        .order_by("-cycle__period_start", "-pk")
    )


def cycle_money(cycle) -> dict[str, int]:
    """Amount per entitlement state, summed straight from the entitlements (one grouped query)."""
    sums = dict.fromkeys(EntitlementState.values, 0)
    sums.update(Entitlement.objects.filter(cycle=cycle).order_by().values_list("state").annotate(s=Sum("amount")))
    return sums
