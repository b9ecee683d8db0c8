"""API of the jobs app: vacancies, the candidates of a vacancy, referrals and their outcomes.

Operations look objects up within what the caller may read (404 otherwise), hand typed input to
one service and render the result; rules, permissions and audit events are the services', shared
with the pages. A company reads a referred person as on the pages: no NIK, KK, address or decile.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router


from bansos.accounts.models import Agency
from bansos.accounts.permissions import P, require
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import PermissionDeniedError, ValidationFailed
from bansos.jobs import selectors, services
from bansos.jobs.access import can_use_jobs
from bansos.jobs.matching import vacancy_candidates
from bansos.jobs.schemas import (
    CandidateOut, JobReferralIn, JobReferralOut, OutcomeIn, VacancyCloseIn, VacancyIn, VacancyOut, VacancyPatch,
)
from bansos.registry.models import Resident

router = Router(tags=["jobs"])

LIMIT_MAX = 500
MSG_COMPANY_UNKNOWN = _("Perusahaan tidak ditemukan.")
MSG_RESIDENT_UNKNOWN = _("Warga tidak ditemukan.")
MSG_VACANCY_UNKNOWN = _("Lowongan tidak ditemukan.")


def _require_jobs(user) -> None:
    if not can_use_jobs(user):
        raise PermissionDeniedError()


def vacancy_out(vacancy) -> dict[str, Any]:
    return {
        "id": vacancy.pk, "company_id": vacancy.company_id, "company": vacancy.company.name,
        "position": vacancy.position, "description": vacancy.description, "skill_areas": vacancy.skill_areas,
        "openings": vacancy.openings, "hired": getattr(vacancy, "hired_count", 0),
        "referred": getattr(vacancy, "referred_count", 0), "wage_min": vacancy.wage_min,
        "wage_max": vacancy.wage_max, "location": vacancy.location, "min_age": vacancy.min_age,
        "max_age": vacancy.max_age, "women_only": vacancy.women_only, "closing_date": vacancy.closing_date,
        "status": vacancy.status, "accepting": selectors.is_accepting(vacancy),
    }


def referral_out(user, referral) -> dict[str, Any]:
    row = selectors.referral_row(user, referral)
    return {**row, "id": row["pk"], "courses": [c["text"] for c in row["courses"]],
            "household_id": row.get("household_id")}


@router.get("/jobs/vacancies", response={200: list[VacancyOut], **ERROR_RESPONSES}, operation_id="job_vacancy_list",
            summary="Vacancies the caller may read: open ones (accepting referrals) or the others")
def vacancy_list(request, closed: bool = False, limit: int = Query(100, ge=1, le=LIMIT_MAX)):
    user = request.auth
    _require_jobs(user)
    tab = selectors.CLOSED if closed else selectors.OPEN
    return [vacancy_out(v) for v in selectors.vacancy_list(user=user, tab=tab)[:limit]]


@router.post("/jobs/vacancies", response={201: VacancyOut, **ERROR_RESPONSES}, operation_id="job_vacancy_create",
             summary="Post a vacancy of the caller's company (the admin: of any business)")
def vacancy_create(request, payload: VacancyIn):
    user = request.auth
    require(user, P.JOBS_MANAGE)
    data = payload.dict()
    if payload.company is not None:
        data["company"] = Agency.objects.filter(pk=payload.company).first()
        if data["company"] is None:
            raise ValidationFailed({"company": [str(MSG_COMPANY_UNKNOWN)]})
    data["skill_areas"] = [s.value for s in payload.skill_areas]
    vacancy = services.vacancy_create(actor=user, data=data)
    return Status(201, vacancy_out(selectors.vacancy_get(user=user, pk=vacancy.pk)))


@router.get("/jobs/vacancies/{int:vacancy_id}", response={200: VacancyOut, **ERROR_RESPONSES},
            operation_id="job_vacancy_get", summary="One vacancy")
def vacancy_get(request, vacancy_id: int):
    user = request.auth
    _require_jobs(user)
    return vacancy_out(selectors.vacancy_get(user=user, pk=vacancy_id))


@router.patch("/jobs/vacancies/{int:vacancy_id}", response={200: VacancyOut, **ERROR_RESPONSES},
              operation_id="job_vacancy_update", summary="Change an open vacancy of the caller's company")
def vacancy_update(request, vacancy_id: int, payload: VacancyPatch):
    user = request.auth
    _require_jobs(user)
    vacancy = selectors.vacancy_get(user=user, pk=vacancy_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    if "skill_areas" in data and data["skill_areas"] is not None:
        data["skill_areas"] = [getattr(s, "value", s) for s in data["skill_areas"]]
    services.vacancy_update(actor=user, vacancy=vacancy, data=data, reason=reason)
    return vacancy_out(selectors.vacancy_get(user=user, pk=vacancy_id))


@router.post("/jobs/vacancies/{int:vacancy_id}/close", response={200: VacancyOut, **ERROR_RESPONSES},
             operation_id="job_vacancy_close", summary="Close a vacancy (reason required)")
def vacancy_close(request, vacancy_id: int, payload: VacancyCloseIn):
    user = request.auth
    _require_jobs(user)
    vacancy = selectors.vacancy_get(user=user, pk=vacancy_id)
    services.vacancy_close(actor=user, vacancy=vacancy, reason=payload.reason)
    return vacancy_out(selectors.vacancy_get(user=user, pk=vacancy_id))


@router.get("/jobs/vacancies/{int:vacancy_id}/candidates", response={200: list[CandidateOut], **ERROR_RESPONSES},
            operation_id="job_vacancy_candidates",
            summary="Trained residents in the caller's scope who match the vacancy, best first, with reasons")
def vacancy_candidate_list(request, vacancy_id: int, limit: int = Query(100, ge=1, le=LIMIT_MAX)):
    user = request.auth
    require(user, P.JOBS_REFER)
    vacancy = selectors.vacancy_get(user=user, pk=vacancy_id)
    out = []
    for c in vacancy_candidates(user=user, vacancy=vacancy)[:limit]:
        out.append({
            "resident_id": c.resident_id, "household_id": c.household_id, "name": c.name, "sex": c.sex,
            "age": c.age, "rw": c.rw, "courses": c.courses, "reasons": c.reason_texts(), "decile": c.decile,
            "already_referred": c.referred, "referral_status": c.referral_status,
        })
    return out


@router.get("/jobs/referrals", response={200: list[JobReferralOut], **ERROR_RESPONSES}, operation_id="job_referral_list",
            summary="Referrals to the caller's company's vacancies and those the caller's agency made")
def referral_list(request, status: str = "", limit: int = Query(100, ge=1, le=LIMIT_MAX)):
    user = request.auth
    _require_jobs(user)
    return [referral_out(user, r) for r in selectors.referral_list(user=user, status=status)[:limit]]


@router.post("/jobs/referrals", response={201: JobReferralOut, **ERROR_RESPONSES}, operation_id="job_referral_create",
             summary="Refer a matching resident to an open vacancy")
def referral_create(request, payload: JobReferralIn):
    user = request.auth
    require(user, P.JOBS_REFER)
    vacancy = selectors.vacancy_get(user=user, pk=payload.vacancy)
    resident = Resident.objects.filter(pk=payload.resident).first()
    if resident is None:
        raise ValidationFailed({"resident": [str(MSG_RESIDENT_UNKNOWN)]})
    referral = services.referral_create(actor=user, vacancy=vacancy, resident=resident, note=payload.note)
    return Status(201, referral_out(user, selectors.referral_get(user=user, pk=referral.pk)))


@router.post("/jobs/referrals/{int:referral_id}/outcome", response={200: JobReferralOut, **ERROR_RESPONSES},
             operation_id="job_referral_outcome",
             summary="Record an outcome: interviewed, hired (wage and start date), not hired, withdrawn")
def referral_outcome(request, referral_id: int, payload: OutcomeIn):
    user = request.auth
    _require_jobs(user)
    referral = selectors.referral_get(user=user, pk=referral_id)
    services.referral_outcome(actor=user, referral=referral, status=payload.status, wage=payload.wage,
                              start_date=payload.start_date, note=payload.note)
    return referral_out(user, selectors.referral_get(user=user, pk=referral_id))
