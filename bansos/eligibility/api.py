"""Eligibility API: run a rule, explain a rule for one household."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema


from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.eligibility import selectors, services

router = Router(tags=["eligibility"])


class RunOut(Schema):
    id: int
    rule_id: int
    version: int
    status: str
    reference_date: dt.date
    eligible_count: int | None


class ExplanationOut(Schema):
    rule_id: int
    household_id: int
    version: int
    reference_date: dt.date
    eligible: bool
    household_active: bool
    text: str
    tree: dict[str, Any]


def _run_out(run) -> dict[str, Any]:
    return {"id": run.pk, "rule_id": run.rule_id, "version": run.version.number, "status": run.status,
            "reference_date": run.reference_date, "eligible_count": run.eligible_count}


@router.post("/eligibility/rules/{rule_id}/run", response={202: RunOut, **ERROR_RESPONSES}, operation_id="rule_run")
def rule_run(request, rule_id: int):
    """Queue an evaluation of the rule's latest version over the whole registry."""
    rule = selectors.rule_get(user=request.auth, pk=rule_id)
    run = services.rule_run_start(actor=request.auth, rule=rule)
    run = selectors.run_get(user=request.auth, pk=run.pk)
    return Status(202, _run_out(run))


@router.get("/eligibility/rules/{rule_id}/explain/{household_id}", response={200: ExplanationOut, **ERROR_RESPONSES},
            operation_id="rule_explain")
def rule_explain(request, rule_id: int, household_id: int):
    """Why a household meets the rule or not, predicate by predicate, with the values."""
    household = selectors.household_for_explanation(user=request.auth, pk=household_id)
    rule = selectors.rule_for_explanation(user=request.auth, pk=rule_id)
    result = selectors.rule_explanation(rule=rule, household=household)
    if result is None:
        from bansos.core.errors import NotFoundError

        raise NotFoundError()
    return {"rule_id": rule.pk, "household_id": household.pk, "version": result["version"].number,
            "reference_date": result["reference_date"], "eligible": result["met"],
            "household_active": result["active"], "text": result["text"], "tree": result["tree"]}
