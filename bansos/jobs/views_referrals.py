"""Matching and referral pages: a vacancy's candidates with their reasons, referring one, the referral
list of the coordinator (and of the company), and recording an outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.forms import domain_page, form_attempt
from bansos.jobs import selectors, services
from bansos.jobs.forms import OutcomeForm, ReferForm, ReferralFilterForm
from bansos.jobs.matching import vacancy_candidates
from bansos.jobs.models import ReferralStatus
from bansos.jobs.views_vacancies import _require_jobs, detail_context
from bansos.registry.models import Resident

PAGE_SIZE = 30


def _require_refer(user) -> None:
    if not has_role_perm(user, P.JOBS_REFER):
        raise PermissionDenied


def _candidates_page(request, vacancy, *, error: str = "", status: int = 200):
    found = vacancy_candidates(user=request.user, vacancy=vacancy)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    start = page.start_index()
    rows = [{"rank": start + i, "c": c, "reasons": c.reason_texts()} for i, c in enumerate(page.object_list)]
    return render(request, "jobs/candidates.html", {
        "vacancy": vacancy, "page": page, "rows": rows, "total": len(found),
        "open_count": sum(1 for c in found if not c.referred), "accepting": selectors.is_accepting(vacancy),
        "skill_labels": selectors.skill_labels(vacancy.skill_areas), "form": ReferForm(), "error": error,
        "query": "",
    }, status=status)


@domain_page
@require_http_methods(["GET"])
def candidates(request, pk: int):
    _require_refer(request.user)
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    return _candidates_page(request, vacancy)


@domain_page
@require_POST
def refer(request, pk: int, resident_id: int):
    user = request.user
    _require_refer(user)
    vacancy = selectors.vacancy_get(user=user, pk=pk)
    form = ReferForm(request.POST)
    if not form.is_valid():
        return _candidates_page(request, vacancy, error=" ".join(form.errors.get("note", [])), status=422)
    resident = Resident.objects.filter(pk=resident_id).first()
    try:
        if resident is None:
            raise NotFoundError()
        services.referral_create(actor=user, vacancy=vacancy, resident=resident, note=form.cleaned_data["note"])
    except (NotFoundError, PermissionDeniedError):
        raise
    except DomainError as exc:
        return _candidates_page(request, vacancy, error=exc.text, status=422)
    messages.success(request, _t("%(name)s dirujuk ke lowongan %(position)s.") % {
        "name": resident.full_name, "position": vacancy.position})
    return redirect(reverse("jobs:candidates", args=[vacancy.pk]) + f"?page={request.GET.get('page', 1)}")


@domain_page
@require_http_methods(["GET"])
def referral_list(request):
    user = request.user
    _require_jobs(user)
    form = ReferralFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(selectors.referral_list(user=user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.referral_row(user, r) for r in page.object_list]
    return render(request, "jobs/referral_list.html", {
        "page": page, "rows": rows, "form": form, "query": f"status={status}" if status else "",
    })


@domain_page
@require_POST
def outcome(request, pk: int):
    user = request.user
    _require_jobs(user)
    referral = selectors.referral_get(user=user, pk=pk)
    row = selectors.referral_row(user, referral)
    if not row["can_outcome"]:
        raise PermissionDenied
    form = OutcomeForm(request.POST, prefix=f"r{pk}", allowed=row["allowed"])
    if form.is_valid():
        data = form.cleaned_data
        ok, _r = form_attempt(form, lambda: services.referral_outcome(
            actor=user, referral=referral, status=data["status"], wage=data["wage"], start_date=data["start_date"],
            note=data["note"]))
        if ok:
            messages.success(request, _t("Hasil rujukan %(name)s dicatat: %(status)s.") % {
                "name": referral.resident.full_name, "status": ReferralStatus(data["status"]).label})
            vacancy = selectors.vacancy_get(user=user, pk=referral.vacancy_id)
            if data["status"] == ReferralStatus.HIRED and selectors.over_hired(vacancy):
                messages.warning(request, _t(
                    "Jumlah yang diterima (%(hired)s) melebihi jumlah lowongan (%(openings)s). Perbarui jumlah "
                    "lowongan bila perusahaan memang menambah.") % {"hired": vacancy.hired_count,
                                                                    "openings": vacancy.openings})
            return redirect(reverse("jobs:vacancy_detail", args=[referral.vacancy_id]) + f"#rujukan-{pk}")
    vacancy = selectors.vacancy_get(user=user, pk=referral.vacancy_id)
    return render(request, "jobs/vacancy_detail.html", detail_context(request, vacancy, forms={pk: form}), status=422)
