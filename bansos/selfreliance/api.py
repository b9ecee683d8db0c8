"""API of the selfreliance app: a household's index, graduation decisions, program impact, index runs.

Operations look objects up and hand them to one selector or service; the rules (scope of the household,
who decides a graduation) are ``selfreliance.access``'s, shared with the pages. Impact answers aggregates
only, with small groups suppressed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _t
from ninja import Query, Router

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from bansos.selfreliance import impact as impact_mod
from bansos.selfreliance import selectors
from bansos.selfreliance.access import can_view_growth, can_view_index
from bansos.selfreliance.formats import parse_month
from bansos.selfreliance.models import Graduation
from bansos.selfreliance.schemas import (
    GraduationConfirmIn, GraduationDeclineIn, GraduationOut, GraduationStateEnum, HouseholdIndexOut, ImpactOut,
    IndexRunIn, IndexRunOut,
)
from bansos.selfreliance.services import graduation as grad_services
from bansos.selfreliance.services import index as index_services

router = Router(tags=["selfreliance"])


def _require(user, perm: str) -> None:
    if not has_role_perm(user, perm):
        raise PermissionDeniedError()


def _graduation_out(g: Graduation) -> dict:
    return {"id": g.pk, "household_id": g.household_id, "kk_number": g.household.kk_number, "month": g.month,
            "score": g.score, "months_above": g.months_above, "state": g.state, "reason": g.reason,
            "ended_enrollments": g.ended_enrollments, "decided_at": g.decided_at}


@router.get("/selfreliance/households/{int:household_id}/index", response={200: HouseholdIndexOut, **ERROR_RESPONSES},
            operation_id="selfreliance_household_index_read",
            summary="A household's kemandirian index: the last 12 months and this month's components")
def selfreliance_household_index_read(request, household_id: int):
    from bansos.registry.models import Household

    user = request.auth
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        raise NotFoundError()
    if not can_view_index(user, household):
        raise PermissionDeniedError()
    rows = selectors.household_trajectory(household, months=12)
    model = selectors.published_model() or index_services.index_default_model()
    components = []
    if rows:
        weights = selectors.model_weights(rows[-1].model)
        components = [{"code": c["code"], "label": str(c["label"]), "weight": c["weight"], "value": c["value"]}
                      for c in selectors.components_of(rows[-1], weights,
                                                       show_growth=can_view_growth(user, household))]
    return {"household_id": household.pk, "threshold": model.threshold, "months_required": model.months_required,
            "latest_month": rows[-1].month if rows else None, "latest_score": rows[-1].score if rows else None,
            "components": components, "trajectory": [{"month": r.month, "score": r.score} for r in rows]}


@router.get("/selfreliance/graduations", response={200: list[GraduationOut], **ERROR_RESPONSES},
            operation_id="selfreliance_graduation_list",
            summary="Graduation proposals (or decisions) the caller may decide: all for the admin, an officer's "
                    "households whose active cash aid is all its agency's")
def selfreliance_graduation_list(request, status: GraduationStateEnum = Query(GraduationStateEnum.PROPOSED)):
    _require(request.auth, P.GRADUATION_MANAGE)
    return [_graduation_out(g) for g in selectors.graduation_list(user=request.auth, state=status.value)]


@router.post("/selfreliance/graduations/{int:graduation_id}/confirm", response={200: GraduationOut, **ERROR_RESPONSES},
             operation_id="selfreliance_graduation_confirm",
             summary="Confirm a proposal: the household's active cash enrollments end as graduated")
def selfreliance_graduation_confirm(request, graduation_id: int, payload: GraduationConfirmIn):
    user = request.auth
    _require(user, P.GRADUATION_MANAGE)
    g = selectors.graduation_get(user=user, pk=graduation_id)
    return _graduation_out(grad_services.graduation_confirm(actor=user, graduation=g, note=payload.note))


@router.post("/selfreliance/graduations/{int:graduation_id}/decline", response={200: GraduationOut, **ERROR_RESPONSES},
             operation_id="selfreliance_graduation_decline", summary="Decline a proposal with a reason")
def selfreliance_graduation_decline(request, graduation_id: int, payload: GraduationDeclineIn):
    user = request.auth
    _require(user, P.GRADUATION_MANAGE)
    g = selectors.graduation_get(user=user, pk=graduation_id)
    return _graduation_out(grad_services.graduation_decline(actor=user, graduation=g, reason=payload.reason))


@router.get("/selfreliance/programs/{int:program_id}/impact", response={200: ImpactOut, **ERROR_RESPONSES},
            operation_id="selfreliance_impact_read",
            summary="Observational estimate of a program's effect on the index (matched difference in "
                    "differences, 95% CI); aggregates only, groups under 5 suppressed")
def selfreliance_impact_read(request, program_id: int, baseline: str = Query("", max_length=7),
                             followup: str = Query("", max_length=7)):
    from bansos.programs.models import Program

    _require(request.auth, P.MONITORING_VIEW)
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        raise NotFoundError()
    months = selectors.stored_months()
    if len(months) < 2:
        raise ValidationFailed({"baseline": [_t("Indeks kemandirian belum dihitung untuk dua bulan.")]})
    base = parse_month(baseline) if baseline else selectors.default_baseline(program, months)
    follow = parse_month(followup) if followup else months[-1]
    if base not in months:
        raise ValidationFailed({"baseline": [_t("Bulan awal harus bulan yang sudah dihitung (TTTT-BB).")]})
    if follow not in months or follow <= base:
        raise ValidationFailed({"followup": [_t("Bulan tindak lanjut harus bulan yang sudah dihitung, setelah "
                                               "bulan awal (TTTT-BB).")]})
    est = impact_mod.program_impact(program, base, follow)
    hide = est.suppressed

    def group(g):
        return None if hide else {"n": g.n, "base_mean": g.base_mean, "follow_mean": g.follow_mean,
                                  "change": g.change}

    return {"program_id": program.pk, "baseline": base, "followup": follow,
            "label": _t("Perkiraan observasional (selisih dari selisih dengan pembanding yang dipadankan)."),
            "suppressed": hide, "did": None if hide else est.did, "ci_low": None if hide else est.ci_low,
            "ci_high": None if hide else est.ci_high, "participants": group(est.participants),
            "comparison": group(est.comparison), "cells": est.cells, "unmatched": est.unmatched,
            "by_rw": [{"rw": r["rw"], "n": None if r["suppressed"] else r["n"], "change": r["change"]}
                      for r in est.by_rw]}


@router.post("/selfreliance/index/runs", response={201: IndexRunOut, **ERROR_RESPONSES},
             operation_id="selfreliance_index_run_create",
             summary="Queue the index computation of months first..last (YYYY-MM) and the graduation proposals")
def selfreliance_index_run_create(request, payload: IndexRunIn):
    _require(request.auth, P.MONITORING_MANAGE)
    first, last = parse_month(payload.first_month), parse_month(payload.last_month)
    errors = {}
    if first is None:
        errors["first_month"] = [_t("Bulan harus diisi dengan format TTTT-BB, misalnya 2025-03.")]
    if last is None:
        errors["last_month"] = [_t("Bulan harus diisi dengan format TTTT-BB, misalnya 2025-03.")]
    if errors:
        raise ValidationFailed(errors)
    run = index_services.index_run_start(actor=request.auth, first=first, last=last)
    run.refresh_from_db()
    return Status(201, {"id": run.pk, "status": run.status, "first_month": run.first_month,
                        "last_month": run.last_month, "months_done": run.months_done, "households": run.households,
                        "proposals": run.proposals})
