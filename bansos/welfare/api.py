"""Welfare API: a household's score, decile and the contribution of each attribute."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from bansos.core.api_errors import ERROR_RESPONSES
from bansos.core.errors import PermissionDeniedError
from bansos.registry import selectors as registry_selectors
from bansos.welfare.selectors import welfare_household

router = Router(tags=["welfare"])


class ContributionOut(Schema):
    attribute: str
    label: str
    value: str
    value_label: str
    weight: float
    effect_pct: float
    effect_rupiah: int


class WelfareOut(Schema):
    household_id: int
    scored: bool
    model_version: int | None
    per_capita: int | None  # Rupiah per person per month, as stored by the last rescoring
    score: float | None  # log Rupiah: log(base) + sum of the weights
    decile: int | None  # 1 (poorest) to 10, within the kelurahan
    rank: int | None
    computed_at: dt.datetime | None
    current_per_capita: int | None  # with the registry's data as it is now
    dtsen_decile: int | None  # national DTSEN decile where known (not computed here)
    own_model_notice: str
    contributions: list[ContributionOut]


NOTICE = ("Skor model kelurahan sendiri yang bobotnya terbuka; bukan desil resmi DTSEN/PMT nasional "
          "(bobot nasional tidak dipublikasikan).")


@router.get("/households/{household_id}/welfare", response={200: WelfareOut, **ERROR_RESPONSES},
            operation_id="household_welfare", summary="A household's welfare score and decile")
def household_welfare(request, household_id: int):
    user = request.auth
    household = registry_selectors.household_get(user=user, pk=household_id)
    data = welfare_household(user=user, household=household)
    if data is None:
        raise PermissionDeniedError()
    stored, explanation = data["welfare"], data["explanation"]
    return {
        "household_id": household.pk, "scored": stored is not None,
        "model_version": (stored.model.version if stored
                          else explanation.model.version if explanation else None),
        "per_capita": stored.per_capita if stored else None, "score": stored.score if stored else None,
        "decile": stored.decile if stored else None, "rank": stored.rank if stored else None,
        "computed_at": stored.computed_at if stored else None,
        "current_per_capita": explanation.per_capita if explanation else None,
        "dtsen_decile": data["dtsen_decile"], "own_model_notice": NOTICE,
        "contributions": [vars(r) for r in explanation.rows] if explanation else [],
    }
