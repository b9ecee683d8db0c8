"""Vacancy pages: the list (open / closed), posting and editing, closing, and one vacancy with its referrals.

Thin: reads through ``selectors``, writes through ``services``; refusals become form errors (422,
nothing changed), 404 (not visible) or 403 (not allowed).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.forms import domain_page, form_attempt
from bansos.jobs import selectors, services
from bansos.jobs.access import can_manage_vacancy, can_post_vacancy, can_use_jobs, require_manage_vacancy
from bansos.jobs.forms import OutcomeForm, VacancyCloseForm, VacancyForm

PAGE_SIZE = 25


def _require_jobs(user) -> None:
    if not can_use_jobs(user):
        raise PermissionDenied


@domain_page
@require_http_methods(["GET"])
def vacancy_list(request):
    user = request.user
    _require_jobs(user)
    tab = request.GET.get("tab", selectors.OPEN)
    if tab not in (selectors.OPEN, selectors.CLOSED):
        tab = selectors.OPEN
    qs = selectors.vacancy_list(user=user, tab=tab)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for v in page.object_list:
        v.skill_labels = selectors.skill_labels(v.skill_areas)
        v.over = v.hired_count > v.openings
        v.mine = can_manage_vacancy(user, v)
    return render(request, "jobs/vacancy_list.html", {
        "page": page, "tab": tab, "counts": selectors.vacancy_counts(user=user), "OPEN": selectors.OPEN,
        "CLOSED": selectors.CLOSED, "can_post": can_post_vacancy(user), "query": f"tab={tab}",
        "can_refer": has_role_perm(user, P.JOBS_REFER),
    })


def _form_page(request, form, vacancy=None, status=200):
    return render(request, "jobs/vacancy_form.html", {"form": form, "vacancy": vacancy}, status=status)


@domain_page
@require_http_methods(["GET", "POST"])
def vacancy_create(request):
    user = request.user
    if not can_post_vacancy(user):
        raise PermissionDenied
    choose = user.role == Role.ADMIN
    form = VacancyForm(request.POST or None, choose_company=choose)
    if request.method == "POST" and form.is_valid():
        ok, vacancy = form_attempt(form, lambda: services.vacancy_create(actor=user, data=form.cleaned_data))
        if ok:
            messages.success(request, _t("Lowongan dipasang."))
            return redirect("jobs:vacancy_detail", pk=vacancy.pk)
    return _form_page(request, form, status=422 if request.method == "POST" else 200)


@domain_page
@require_http_methods(["GET", "POST"])
def vacancy_edit(request, pk: int):
    user = request.user
    _require_jobs(user)
    vacancy = selectors.vacancy_get(user=user, pk=pk)
    require_manage_vacancy(user, vacancy)
    initial = {name: getattr(vacancy, name) for name in services.VACANCY_FIELDS}
    form = VacancyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _v = form_attempt(form, lambda: services.vacancy_update(actor=user, vacancy=vacancy,
                                                                   data=form.cleaned_data))
        if ok:
            messages.success(request, _t("Lowongan diperbarui."))
            return redirect("jobs:vacancy_detail", pk=vacancy.pk)
    return _form_page(request, form, vacancy, status=422 if request.method == "POST" else 200)


def detail_context(request, vacancy, *, forms=None, close_form=None) -> dict:
    user = request.user
    rows = selectors.vacancy_referral_rows(user=user, vacancy=vacancy)
    forms = forms or {}
    for row in rows:
        if row["can_outcome"]:
            row["form"] = forms.get(row["pk"]) or OutcomeForm(prefix=f"r{row['pk']}", allowed=row["allowed"])
    manage = can_manage_vacancy(user, vacancy)
    return {
        "vacancy": vacancy, "rows": rows, "skill_labels": selectors.skill_labels(vacancy.skill_areas),
        "can_manage": manage, "accepting": selectors.is_accepting(vacancy),
        "can_refer": has_role_perm(user, P.JOBS_REFER), "over": selectors.over_hired(vacancy),
        "close_form": close_form or VacancyCloseForm(),
        "limited_any": any(r["limited"] for r in rows),
    }


@domain_page
@require_http_methods(["GET"])
def vacancy_detail(request, pk: int):
    _require_jobs(request.user)
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    return render(request, "jobs/vacancy_detail.html", detail_context(request, vacancy))


@domain_page
@require_POST
def vacancy_close(request, pk: int):
    user = request.user
    _require_jobs(user)
    vacancy = selectors.vacancy_get(user=user, pk=pk)
    require_manage_vacancy(user, vacancy)
    form = VacancyCloseForm(request.POST)
    if form.is_valid():
        ok, _v = form_attempt(form, lambda: services.vacancy_close(actor=user, vacancy=vacancy,
                                                                  reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _t("Lowongan ditutup."))
            return redirect("jobs:vacancy_detail", pk=vacancy.pk)
    return render(request, "jobs/vacancy_detail.html", detail_context(request, vacancy, close_form=form),
                  status=422)
