"""The household page's "Kemandirian" panel and the resident's portal section: trajectory and components.

Shown to whoever may view the household (``access.can_view_index``); the growth component's value only
to those who may see the household's health data. Rows are plain dicts, so templates cannot reach more.
"""

from __future__ import annotations

from typing import Any

from bansos.accounts.models import Role
from bansos.selfreliance import selectors
from bansos.selfreliance.access import can_view_growth, can_view_index
from bansos.selfreliance.chart import trajectory_svg
from bansos.selfreliance.formats import month_label
from bansos.selfreliance.models import GraduationState


def _month_label(month) -> str:
    return month_label(month, short=True)


def index_context(*, user, household) -> dict[str, Any] | None:
    rows = selectors.household_trajectory(household, months=12)
    if not rows:
        return None
    latest = rows[-1]
    model = latest.model
    weights = selectors.model_weights(model)
    published = selectors.published_model() or model
    graduations = selectors.household_graduations(household)
    confirmed = next((g for g in graduations if g.state == GraduationState.CONFIRMED), None)
    proposed = next((g for g in graduations if g.state == GraduationState.PROPOSED), None)
    return {
        "latest": {"month": latest.month, "score": latest.score, "above": latest.score >= published.threshold},
        "threshold": published.threshold, "months_required": published.months_required,
        "components": selectors.components_of(latest, weights, show_growth=can_view_growth(user, household)),
        "chart": trajectory_svg([(_month_label(r.month), r.score) for r in rows], threshold=published.threshold),
        "table": [{"month": r.month, "score": r.score} for r in rows],
        "graduated": {"month": confirmed.month,
                      "relapse": latest.score < published.threshold} if confirmed else None,
        "proposed": {"month": proposed.month} if proposed else None,
        "is_own": user.role == Role.RESIDENT and user.household_id == household.pk,
    }


def household_index(*, user, household) -> dict[str, Any] | None:
    """None (panel hidden) when the household has no stored month or the user may not see it."""
    if not can_view_index(user, household):
        return None
    return index_context(user=user, household=household)


def portal_index(*, user, household) -> dict[str, Any] | None:
    """The resident's own household only (the portal calls this for the signed-in resident)."""
    if household is None or user.household_id != household.pk:
        return None
    return index_context(user=user, household=household)
