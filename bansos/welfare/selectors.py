"""Reads of the welfare ranking: the published model, explanations, distributions."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from bansos.accounts.permissions import P, has_perm
from bansos.welfare.features import (
    ASSET_CODES,
    ATTRIBUTE_BY_CODE,
    ATTRIBUTES,
    HOUSING_FIELDS,
    PEOPLE_ORDER,
    CompiledModel,
    household_values,
    per_capita,
)
from bansos.welfare.models import HouseholdWelfare, ModelStatus, WelfareModel, WelfareRun

# Published versions never change (only drafts are editable), so their compiled form can be kept.
_COMPILED: dict[int, CompiledModel] = {}


def welfare_published_model() -> WelfareModel | None:
    return WelfareModel.objects.filter(status=ModelStatus.PUBLISHED).first()


def model_weights(model: WelfareModel) -> dict[tuple[str, str], float]:
    return {(a, v): w for a, v, w in model.coefficients.values_list("attribute", "value", "weight")}


def compiled_model(model: WelfareModel) -> CompiledModel:
    if model.status == ModelStatus.DRAFT:
        return CompiledModel(base_amount=model.base_amount, weights=model_weights(model))
    found = _COMPILED.get(model.pk)
    if found is None:
        found = _COMPILED[model.pk] = CompiledModel(base_amount=model.base_amount, weights=model_weights(model))
    return found


@dataclass(frozen=True)
class Contribution:
    attribute: str
    label: str
    value: str
    value_label: str
    weight: float  # log points added to the score
    effect_pct: float  # the estimate is this many percent higher (+) or lower (-) than without it
    effect_rupiah: int  # per-capita Rupiah this attribute adds or takes away, given all the others


@dataclass(frozen=True)
class Explanation:
    model: WelfareModel
    base: float  # log(base amount)
    score: float  # base + sum of the contributions' weights
    per_capita: int
    rows: list[Contribution]


def _active_members(household) -> list:
    cache = getattr(household, "_prefetched_objects_cache", {})
    members = cache["residents"] if "residents" in cache else household.residents.all()
    return [m for m in members if m.status == "active"]


def welfare_explain(household, *, model: WelfareModel | None = None, today: dt.date | None = None) -> Explanation | None:
    """Each attribute's weight and effect for ``household`` under ``model`` (the published one by default)."""
    model = model or welfare_published_model()
    if model is None:
        return None
    compiled = compiled_model(model)
    values = household_values(household, _active_members(household), today or timezone.localdate())
    weights = [(code, values[code], compiled.weight(code, values[code])) for code in
               (*PEOPLE_ORDER, *HOUSING_FIELDS, *ASSET_CODES)]
    score = compiled.base + math.fsum(w for _c, _v, w in weights)
    estimate = per_capita(score)
    rows = []
    for code, value, weight in weights:
        attribute = ATTRIBUTE_BY_CODE[code]
        if attribute.group == "assets" and not value and not weight:
            continue  # an asset the household does not have, weighing nothing: not worth a line
        rows.append(Contribution(
            attribute=code, label=str(attribute.label), value=value, value_label=attribute.value_label(value),
            weight=weight, effect_pct=(math.exp(weight) - 1) * 100,
            effect_rupiah=estimate - per_capita(score - weight),
        ))
    rows.sort(key=lambda r: (-abs(r.weight), r.label))
    return Explanation(model=model, base=compiled.base, score=score, per_capita=estimate, rows=rows)


def welfare_household(*, user, household) -> dict[str, Any] | None:
    """The score, decile and explanation of one household, or None when the user may not see it."""
    if not has_perm(user, P.WELFARE_VIEW, household):
        return None
    stored = HouseholdWelfare.objects.select_related("model").filter(household_id=household.pk).first()
    explanation = welfare_explain(household, model=stored.model if stored else None)
    total = _scored_households(stored) if stored else 0
    return {
        "welfare": stored, "explanation": explanation, "dtsen_decile": household.dtsen_decile, "total": total,
        # The page says so when the registry changed after the last rescoring.
        "stale": bool(stored and explanation and stored.per_capita != explanation.per_capita),
    }


def _scored_households(stored: HouseholdWelfare) -> int:
    """How many households the last rescoring ranked ("rank 5 of N"), counted once per rescoring and
    process: counting a million-household registry's scores takes a tenth of a second on each page."""
    key = f"welfare:scored:{stored.model_id}:{stored.computed_at.isoformat()}"
    total = cache.get(key)
    if total is None:
        total = HouseholdWelfare.objects.count()
        cache.set(key, total, timeout=300)
    return total


def welfare_distribution() -> dict[str, Any]:
    """Households per decile in each RW and in the kelurahan (counts only: no personal data)."""
    from bansos.core.models import RW

    counts: dict[int, list[int]] = {}
    for rw_id, decile, n in (
        HouseholdWelfare.objects.values_list("household__rt__rw_id", "decile").annotate(n=Count("pk")).order_by()
    ):
        counts.setdefault(rw_id, [0] * 10)[decile - 1] += n
    rows = []
    total = [0] * 10
    for rw in RW.objects.order_by("number"):
        row = counts.get(rw.pk, [0] * 10)
        total = [a + b for a, b in zip(total, row, strict=True)]
        rows.append({"rw": rw, "counts": row, "total": sum(row),
                     "poorest_share": round(100 * sum(row[:4]) / sum(row)) if sum(row) else None})
    return {"rows": rows, "total": total, "households": sum(total)}


def welfare_model_list():
    return WelfareModel.objects.select_related("created_by").annotate(households=Count("scores"))


def welfare_model_rows(model: WelfareModel) -> list[dict[str, Any]]:
    """Every attribute of the catalogue with its values' weights in ``model`` (0 where missing)."""
    weights = model_weights(model)
    return [
        {"attribute": a, "values": [
            {"code": v, "label": label, "weight": weights.get((a.code, v), 0.0),
             "effect_pct": (math.exp(weights.get((a.code, v), 0.0)) - 1) * 100, "field": f"w__{a.code}__{v}"}
            for v, label in a.values
        ]}
        for a in ATTRIBUTES
    ]


def welfare_last_run() -> WelfareRun | None:
    return WelfareRun.objects.select_related("model", "created_by").first()


def welfare_scored_summary() -> dict[str, Any]:
    return HouseholdWelfare.objects.aggregate(households=Count("pk"), computed_at=Max("computed_at"))
