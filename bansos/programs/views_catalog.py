"""Catalog pages: every agency's programs, a program's page with its budget, the program form,
funding sources, and the kelurahan's overlap policies. Thin: parse input, call one service or
selector, render. Who may do what is the services' and ``programs.access``'s to say."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import DomainError
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.programs.access import can_program
from bansos.programs.forms_catalog import (
    AllocationForm, CatalogFilterForm, FundingSourceForm, OverlapPolicyForm, ProgramForm, StatusForm,
)
from bansos.programs.models import ProgramStatus
from bansos.programs.selectors import budget
from bansos.programs.selectors import catalog as selectors
from bansos.programs.services import funding as funding_services
from bansos.programs.services import overlap as overlap_services
from bansos.programs.services import programs as program_services

PAGE_SIZE = 20


# --- Catalog ---------------------------------------------------------------------------------


@perm_required(P.PROGRAM_VIEW)
@domain_page
@require_http_methods(["GET"])
def program_list(request):
    form = CatalogFilterForm(request.GET or None, agencies=selectors.agencies_with_programs())
    filters = form.filters()
    page = Paginator(selectors.program_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    user = request.user
    return render(request, "programs/catalog/program_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "filtered": any(filters.values()),
        "can_create": has_role_perm(user, P.PROGRAM_MANAGE),
        "can_funding": has_role_perm(user, P.FUNDING_MANAGE),
        "can_policies": has_role_perm(user, P.OVERLAP_POLICY_MANAGE),
    })


def _detail_context(request, program, *, allocation_form=None) -> dict:
    user = request.user
    can_manage = can_program(user, P.PROGRAM_MANAGE, program)
    if can_manage and allocation_form is None and program.status != ProgramStatus.CLOSED:
        allocation_form = AllocationForm(sources=selectors.sources_usable_by(user=user, program=program))
    return {
        "program": program,
        "target_groups": selectors.target_group_labels(program),
        "rule_info": selectors.program_rule(user=user, program=program),
        "card": budget.budget_card(program),
        "forecast": budget.budget_forecast(program),
        "window_days": budget.WINDOW_DAYS,
        "allocations": selectors.program_allocations(program),
        "enrollments": selectors.enrollment_counts(user=user, program=program),
        "can_manage": can_manage,
        "status_actions": selectors.status_actions(program) if can_manage else [],
        "allocation_form": allocation_form if can_manage else None,
        "program_sources": selectors.program_sources(program) if can_manage else [],
    }


@perm_required(P.PROGRAM_VIEW)
@domain_page
@require_http_methods(["GET"])
def program_detail(request, pk: int):
    program = selectors.program_get(pk=pk)
    return render(request, "programs/catalog/program_detail.html", _detail_context(request, program))


@perm_required(P.PROGRAM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def program_create(request):
    user = request.user
    form = ProgramForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        ok, program = form_attempt(form, lambda: program_services.program_create(actor=user, data=form.service_data()))
        if ok:
            messages.success(request, _t("Program dibuat sebagai draf. Alokasikan dana, lalu buka pendaftaran."))
            return redirect("programs:program_detail", pk=program.pk)
    return render(request, "programs/catalog/program_form.html", {"form": form, "creating": True})


def _program_initial(program) -> dict:
    return {
        "name": program.name, "kind": program.kind, "agency": program.agency_id,
        "description": program.description, "target_groups": program.target_groups, "rule": program.rule_id,
        "participant": program.participant, "benefit_kind": program.benefit_kind,
        "benefit_description": program.benefit_description, "benefit_amount": program.benefit_amount,
        "benefit_periods": program.benefit_periods, "start_date": program.start_date,
        "end_date": program.end_date, "capacity": program.capacity,
        "how_to_apply": program.how_to_apply, "contact": program.contact,
        "resident_applications": program.resident_applications,
    }


@perm_required(P.PROGRAM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def program_edit(request, pk: int):
    user = request.user
    program = selectors.program_get(pk=pk)
    if not can_program(user, P.PROGRAM_MANAGE, program):
        raise PermissionDenied
    if program.status == ProgramStatus.CLOSED:
        messages.error(request, _t("Program yang sudah selesai tidak dapat diubah."))
        return redirect("programs:program_detail", pk=program.pk)
    form = ProgramForm(request.POST or None, initial=_program_initial(program), user=user, program=program)
    if request.method == "POST" and form.is_valid():
        ok, _program = form_attempt(
            form, lambda: program_services.program_update(actor=user, program=program, data=form.service_data())
        )
        if ok:
            messages.success(request, _t("Program diperbarui."))
            return redirect("programs:program_detail", pk=program.pk)
    return render(request, "programs/catalog/program_form.html", {"form": form, "program": program,
                                                                   "creating": False})


@perm_required(P.PROGRAM_MANAGE)
@domain_page
@require_POST
def program_status(request, pk: int):
    program = selectors.program_get(pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _t("Status tidak valid."))
        return redirect("programs:program_detail", pk=program.pk)
    try:
        program_services.program_status_set(actor=request.user, program=program, status=form.cleaned_data["status"],
                                            reason=form.cleaned_data["reason"])
    except DomainError as exc:
        if exc.code == "permission_denied":
            raise
        messages.error(request, exc.text)
    else:
        program.refresh_from_db()
        messages.success(request, _t("Status program sekarang: %(status)s.") % {"status": program.get_status_display()})
    return redirect("programs:program_detail", pk=program.pk)


@perm_required(P.PROGRAM_MANAGE)
@domain_page
@require_POST
def program_allocate(request, pk: int):
    user = request.user
    program = selectors.program_get(pk=pk)
    if not can_program(user, P.PROGRAM_MANAGE, program):
        raise PermissionDenied
    form = AllocationForm(request.POST, sources=selectors.sources_usable_by(user=user, program=program))
    if form.is_valid():
        amount = form.signed_amount()
        ok, _allocation = form_attempt(form, lambda: funding_services.funding_allocate(
            actor=user, source=form.cleaned_data["source"], program=program, amount=amount,
            note=form.cleaned_data["note"],
        ))
        if ok:
            text = _t("Dana dialokasikan ke program.") if amount > 0 else _t("Dana ditarik kembali ke sumbernya.")
            messages.success(request, text)
            return redirect("programs:program_detail", pk=program.pk)
    program.refresh_from_db()
    return render(request, "programs/catalog/program_detail.html",
                  _detail_context(request, program, allocation_form=form), status=400)


# --- Funding sources -------------------------------------------------------------------------


@perm_required(P.FUNDING_MANAGE)
@domain_page
@require_http_methods(["GET"])
def funding_list(request):
    sources = list(selectors.funding_list())
    totals = {
        "amount": sum(s.amount for s in sources), "allocated": sum(s.allocated for s in sources),
        "available": sum(s.available for s in sources),
    }
    return render(request, "programs/catalog/funding_list.html", {"sources": sources, "totals": totals})


@perm_required(P.FUNDING_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def funding_create(request):
    form = FundingSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _source = form_attempt(
            form, lambda: funding_services.funding_source_create(actor=request.user, data=form.cleaned_data)
        )
        if ok:
            messages.success(request, _t("Sumber dana dicatat."))
            return redirect("programs:funding_list")
    return render(request, "programs/catalog/funding_form.html", {"form": form, "creating": True})


@perm_required(P.FUNDING_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def funding_edit(request, pk: int):
    source = selectors.funding_get(pk=pk)
    initial = {
        "name": source.name, "kind": source.kind, "agency": source.agency_id, "shared": source.shared,
        "fiscal_year": source.fiscal_year, "amount": source.amount, "note": source.note,
    }
    form = FundingSourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _source = form_attempt(form, lambda: funding_services.funding_source_update(
            actor=request.user, source=source, data=form.cleaned_data))
        if ok:
            messages.success(request, _t("Sumber dana diperbarui."))
            return redirect("programs:funding_list")
    return render(request, "programs/catalog/funding_form.html", {
        "form": form, "source": source, "creating": False, "allocations": selectors.funding_allocations(source),
    })


# --- Overlap policies ------------------------------------------------------------------------


@perm_required(P.OVERLAP_POLICY_MANAGE)
@domain_page
@require_http_methods(["GET"])
def policy_list(request):
    policies = [{"policy": p, "sentence": selectors.policy_sentence(p)} for p in selectors.policy_list()]
    return render(request, "programs/catalog/policy_list.html", {"policies": policies})


@perm_required(P.OVERLAP_POLICY_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def policy_create(request):
    form = OverlapPolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _policy = form_attempt(
            form, lambda: overlap_services.overlap_policy_create(actor=request.user, data=form.cleaned_data)
        )
        if ok:
            messages.success(request, _t("Kebijakan tumpang tindih disimpan."))
            return redirect("programs:policy_list")
    return render(request, "programs/catalog/policy_form.html", {"form": form, "creating": True})


@perm_required(P.OVERLAP_POLICY_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk: int):
    policy = selectors.policy_get(pk=pk)
    initial = {
        "kind_a": policy.kind_a, "kind_b": policy.kind_b, "effect": policy.effect,
        "same_period": policy.same_period, "note": policy.note, "is_active": policy.is_active,
    }
    form = OverlapPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _policy = form_attempt(form, lambda: overlap_services.overlap_policy_update(
            actor=request.user, policy=policy, data=form.cleaned_data))
        if ok:
            messages.success(request, _t("Kebijakan tumpang tindih diperbarui."))
            return redirect("programs:policy_list")
    return render(request, "programs/catalog/policy_form.html", {
        "form": form, "policy": policy, "sentence": selectors.policy_sentence(policy), "creating": False,
    })
