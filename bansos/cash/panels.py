"""The household page's "Bantuan tunai" section: every entitlement and payment of the household."""

from __future__ import annotations

from typing import Any

from bansos.cash.access import can_view_cycle
from bansos.cash.selectors import household_entitlements


def household_payments(*, user, household) -> dict[str, Any] | None:
    """Entitlements of programs the user may see the payments of, and payee accounts; None hides the panel."""
    from bansos.cash.selectors_cycles import household_panel

    rows = [e for e in household_entitlements(household) if can_view_cycle(user, e.cycle.program)
            or (user.role == "resident" and user.household_id == household.pk)]
    return household_panel(user=user, household=household, entitlements=rows)
