"""Reads of the jobs app: vacancies, their referrals as each reader may see them, the referral list.

Referral rows are built as plain dicts here, so a template shown to a company cannot reach the
person's NIK, KK, address or welfare data: those keys are simply not in the row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from bansos.core.errors import NotFoundError
from bansos.core.formats import age_on
from bansos.jobs import reasons as R
from bansos.jobs.access import (
    can_manage_vacancy, can_record_outcome, company_view, referral_scope, vacancy_scope,
)
from bansos.jobs.models import REFERRAL_TRANSITIONS, JobReferral, ReferralStatus, Vacancy, VacancyStatus
from bansos.training.models import SkillArea

OPEN = "buka"
CLOSED = "tutup"


def _annotated(qs):
    return qs.select_related("company").annotate(
        referred_count=Count("referrals", distinct=True),
        hired_count=Count("referrals", filter=Q(referrals__status=ReferralStatus.HIRED), distinct=True),
    )


def accepting_q() -> Q:
    """Vacancies that take referrals today: open and before their closing date."""
    return Q(status=VacancyStatus.OPEN, closing_date__gte=timezone.localdate())


def vacancy_list(*, user, tab: str = OPEN, company_id: int | None = None):
    qs = Vacancy.objects.filter(vacancy_scope(user))
    qs = qs.filter(accepting_q()) if tab == OPEN else qs.exclude(accepting_q())
    if company_id:
        qs = qs.filter(company_id=company_id)
    order = ["closing_date", "pk"] if tab == OPEN else ["-closing_date", "-pk"]
    return _annotated(qs).order_by(*order)


def vacancy_counts(*, user) -> dict[str, int]:
    qs = Vacancy.objects.filter(vacancy_scope(user))
    accepting = qs.filter(accepting_q()).count()
    return {OPEN: accepting, CLOSED: qs.count() - accepting}


def vacancy_get(*, user, pk: int) -> Vacancy:
    vacancy = _annotated(Vacancy.objects.filter(vacancy_scope(user), pk=pk)).first()
    if vacancy is None:
        raise NotFoundError()
    return vacancy


def skill_labels(codes: list[str]) -> list[str]:
    labels = dict(SkillArea.choices)
    return [str(labels.get(c, c)) for c in codes or []]


def is_accepting(vacancy: Vacancy) -> bool:
    return vacancy.status == VacancyStatus.OPEN and vacancy.closing_date >= timezone.localdate()


def over_hired(vacancy: Vacancy) -> bool:
    hired = getattr(vacancy, "hired_count", None)
    if hired is None:
        hired = vacancy.referrals.filter(status=ReferralStatus.HIRED).count()
    return hired > vacancy.openings


def referral_row(user, referral: JobReferral, *, today=None) -> dict[str, Any]:
    """One referral as ``user`` may read it (see ``access.company_view``)."""
    today = today or timezone.localdate()
    resident = referral.resident
    household = referral.household
    limited = company_view(user, referral)
    courses = [r for r in referral.match_reasons or [] if r.get("code") == R.COURSE]
    allowed = REFERRAL_TRANSITIONS[ReferralStatus(referral.status)]
    row = {
        "pk": referral.pk,
        "vacancy_id": referral.vacancy_id,
        "position": referral.vacancy.position,
        "company": referral.vacancy.company.name,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "name": resident.full_name,
        "sex": resident.get_sex_display(),
        "age": age_on(resident.birth_date, today),
        "rw": household.rt.rw.number,
        "courses": [{"text": R.reason_text(c), "certificate": c.get("certificate") or ""} for c in courses],
        # The other reasons (age, work, and the decile for those who may read it).
        "reasons": R.reasons_text([r for r in referral.match_reasons or [] if r.get("code") != R.COURSE],
                                  company=limited),
        "note": referral.note,
        "wage": referral.wage,
        "start_date": referral.start_date,
        "outcome_note": referral.outcome_note,
        "referred_at": referral.referred_at,
        "referring_agency": referral.referring_agency.name if referral.referring_agency_id else "",
        "limited": limited,
        "can_outcome": can_record_outcome(user, referral) and bool(allowed),
        "allowed": [(s.value, s.label) for s in ReferralStatus if s in allowed],
    }
    if not limited:
        row.update(household_id=household.pk, rt=household.rt.number)
    return row


def _referral_qs():
    return JobReferral.objects.select_related(
        "vacancy__company", "resident", "household__rt__rw", "referring_agency",
    )


def vacancy_referral_rows(*, user, vacancy: Vacancy) -> list[dict[str, Any]]:
    """The vacancy's referrals the user may read: all for the company and the admin, own ones otherwise."""
    qs = _referral_qs().filter(vacancy=vacancy)
    if not (can_manage_vacancy(user, vacancy)):
        qs = qs.filter(referring_agency_id=user.agency_id) if user.agency_id else qs.none()
    qs = qs.filter(referral_scope(user))
    today = timezone.localdate()
    return [referral_row(user, r, today=today) for r in qs.order_by("-referred_at", "-pk")]


def referral_list(*, user, status: str = ""):
    qs = _referral_qs().filter(referral_scope(user))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-referred_at", "-pk")


def referral_get(*, user, pk: int) -> JobReferral:
    referral = _referral_qs().filter(referral_scope(user), pk=pk).first()
    if referral is None:
        raise NotFoundError()
    return referral


def household_referrals(household) -> list[JobReferral]:
    return list(JobReferral.objects.filter(household=household).select_related(
        "vacancy__company", "resident", "referring_agency").order_by("-referred_at", "-pk"))
