"""The "Partisipasi musyawarah" section of the household page."""

from __future__ import annotations

from typing import Any

from bansos.accounts.permissions import P, has_perm
from bansos.meetings import selectors


def household_participation(*, user, household) -> dict[str, Any] | None:
    if not has_perm(user, P.HOUSEHOLD_VIEW, household):
        return None
    return {
        "attendances": selectors.household_meetings(household=household),
        "can_open": selectors.meetings_readable(user),
    }
