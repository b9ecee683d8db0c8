"""Pages of businesses: the overview at a glance, create/edit, detail, close and reopen.

Thin: parse the form, call one service or selector, render. Every page needs ``P.UMKM_MANAGE``; a
business outside the user's agency is not found (``selectors.business_get`` applies the scope).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.umkm import selectors
from bansos.umkm.forms import (
    BusinessForm, CloseForm, DisburseForm, FilterForm, ReopenForm, RepaymentForm, creatable_programs,
    owner_choices,
)
from bansos.umkm.services import businesses as services

PAGE_SIZE = 30


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET"])
def overview(request):
    form = FilterForm(request.GET or None)
    filters = selectors.Filters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.Filters(rw=d["rw"], sector=d["sector"], status=d["status"], trend=d["trend"],
                                    bucket=d["bucket"], women=d["women"] == "1", youth=d["youth"] == "1",
                                    q=d["q"].strip(), on=d["on"])
    rows, summary = selectors.overview(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(request, "umkm/overview.html", {
        "form": form, "page": page, "summary": summary, "query": query.urlencode(), "on": filters.on,
        "can_create": creatable_programs(request.user).exists(),
    })


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def business_create(request):
    user = request.user
    programs = creatable_programs(user)
    household_id = request.GET.get("keluarga")
    household_id = int(household_id) if household_id and household_id.isdigit() else None
    owners = owner_choices(programs, household_id)
    initial = {}
    if programs.count() == 1:
        initial["program"] = programs.first()
    form = BusinessForm(request.POST or None, programs=programs, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, business = form_attempt(form, lambda: services.business_create(
            actor=user, owner=data["owner"], program=data["program"], data=form.service_data()))
        if ok:
            messages.success(request, _t("Usaha dicatat."))
            return redirect("umkm:business_detail", pk=business.pk)
    return render(request, "umkm/business_form.html", {"form": form, "creating": True},
                  status=400 if form.is_bound else 200)


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def business_edit(request, pk: int):
    business = selectors.business_get(request.user, pk)
    initial = {name: getattr(business, name) for name in services.PROFILE_FIELDS}
    initial.update(women_owned="1" if business.women_owned else "0", youth_owned="1" if business.youth_owned else "0")
    form = BusinessForm(request.POST or None, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, business = form_attempt(form, lambda: services.business_update(
            actor=request.user, business=business, data=form.service_data()))
        if ok:
            messages.success(request, _t("Profil usaha diperbarui."))
            return redirect("umkm:business_detail", pk=business.pk)
    return render(request, "umkm/business_form.html", {"form": form, "creating": False, "business": business},
                  status=400 if form.is_bound else 200)


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET"])
def business_detail(request, pk: int):
    business = selectors.business_get(request.user, pk)
    today = timezone.localdate()
    return render(request, "umkm/business_detail.html", {
        "business": business, **selectors.business_detail(business),
        "repay_form": RepaymentForm(initial={"paid_on": today}),
        "disburse_form": DisburseForm(initial={"disbursed_on": today}),
        "today": today,
    })


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def business_close(request, pk: int):
    business = selectors.business_get(request.user, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _b = form_attempt(form, lambda: services.business_close(
            actor=request.user, business=business, closed_on=data["closed_on"], reason=data["reason"]))
        if ok:
            messages.success(request, _t("Usaha dicatat tutup."))
            return redirect("umkm:business_detail", pk=business.pk)
    return render(request, "umkm/record_form.html", {
        "form": form, "business": business, "title": _t("Catat usaha tutup"), "danger": True,
        "hint": _t("Pinjaman yang belum lunas tetap tercatat dan tetap dapat dibayar."),
    }, status=400 if form.is_bound else 200)


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_POST
def business_reopen(request, pk: int):
    business = selectors.business_get(request.user, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        ok, _b = form_attempt(form, lambda: services.business_reopen(
            actor=request.user, business=business, reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _t("Usaha dicatat berjalan kembali."))
        else:
            messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
    return redirect("umkm:business_detail", pk=business.pk)
