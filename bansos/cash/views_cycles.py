"""Cycle pages: the cash overview, a program's cycles, one cycle, and its actions (generate, approve, cancel).

Thin: parse the form, call one service or selector, render. Every action is a POST through its
service; a refusal by the rules comes back as a message, a refusal of the user as the 403 page.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P, has_role_perm
from bansos.cash import selectors_cycles as selectors
from bansos.cash.access import can_approve_cash, can_manage_cash
from bansos.cash.forms_cycles import CancelForm, CycleCreateForm, EntitlementFilterForm
from bansos.cash.models import CycleState, Frequency
from bansos.cash.services import cycles as services
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.formats import rupiah
from bansos.core.forms import domain_page, form_attempt
from bansos.programs.selectors.budget import budget_card

PAGE_SIZE = 20
ENTITLEMENT_PAGE_SIZE = 50


def cash_staff_required(view):
    """Sign-in required, then 403 unless the role prepares (CASH_MANAGE) or approves (CASH_APPROVE) cycles."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (has_role_perm(user, P.CASH_MANAGE) or has_role_perm(user, P.CASH_APPROVE)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _refused(exc: DomainError) -> bool:
    """A refusal of the user (403/404 page) rather than of the rules (a message on the page)."""
    return isinstance(exc, (PermissionDeniedError, NotFoundError))


# --- Overview ---------------------------------------------------------------------------------------


@cash_staff_required
@domain_page
@require_http_methods(["GET"])
def overview(request):
    user = request.user
    page = Paginator(selectors.cash_programs(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.attach_latest_cycles(list(page.object_list))
    return render(request, "cash/cycle_overview.html", {
        "page": page, "query": "", "queue": selectors.approval_queue(user=user),
        "can_approve": can_approve_cash(user), "can_institutions": has_role_perm(user, P.CASH_INSTITUTIONS),
    })


# --- Cycles of a program ------------------------------------------------------------------------------


def _create_form(program, scheme, data=None) -> CycleCreateForm | None:
    if scheme is None or not selectors.program_status_allows_cycles(program):
        return None
    if scheme.frequency == Frequency.ONE_OFF:
        return CycleCreateForm(data, frequency=scheme.frequency)
    choices, initial = selectors.period_choices(program, scheme, today=timezone.localdate())
    return CycleCreateForm(data, frequency=scheme.frequency, choices=choices, initial_period=initial)


def _list_context(request, program, *, create_form=None) -> dict:
    user = request.user
    scheme = selectors.scheme_for(program)
    manage = can_manage_cash(user, program)
    if manage and create_form is None:
        create_form = _create_form(program, scheme)
    page = Paginator(selectors.program_cycles(program), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "program": program, "scheme": scheme, "page": page, "query": "", "can_manage": manage,
        "create_form": create_form if manage else None, "card": budget_card(program),
        "program_running": selectors.program_status_allows_cycles(program),
    }


@domain_page
@require_http_methods(["GET"])
def cycle_list(request, program_id: int):
    program = selectors.cash_program_get(user=request.user, pk=program_id)
    return render(request, "cash/cycle_list.html", _list_context(request, program))


@domain_page
@require_POST
def cycle_create(request, program_id: int):
    user = request.user
    program = selectors.cash_program_get(user=user, pk=program_id)
    if not can_manage_cash(user, program):
        raise PermissionDenied
    scheme = selectors.scheme_for(program)
    form = _create_form(program, scheme, request.POST)
    if form is None:
        messages.error(request, services.MSG_NO_SCHEME if scheme is None else services.MSG_PROGRAM_NOT_RUNNING)
        return redirect("cash:cycle_list", program_id=program.pk)
    if form.is_valid():
        ok, cycle = form_attempt(form, lambda: services.cycle_create(
            actor=user, program=program, period_start=form.cleaned_data["period_start"]))
        if ok:
            messages.success(request, _t("Siklus %(label)s dibuat. Langkah berikutnya: buat daftar penerima.")
                             % {"label": cycle.label})
            return redirect("cash:cycle_detail", pk=cycle.pk)
    return render(request, "cash/cycle_list.html", _list_context(request, program, create_form=form), status=400)


# --- One cycle ------------------------------------------------------------------------------------------


def _detail_context(request, cycle, *, cancel_form=None) -> dict:
    user = request.user
    program = cycle.program
    actions = selectors.cycle_actions(user=user, cycle=cycle)
    filter_form = EntitlementFilterForm(request.GET or None)
    filters = filter_form.filters()
    page = Paginator(selectors.cycle_entitlements(cycle, **filters), ENTITLEMENT_PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "cycle": cycle, "program": program, "figures": selectors.cycle_figures(cycle),
        "report": selectors.generation_rows(cycle), "timeline": selectors.timeline(cycle), "actions": actions,
        "card": budget_card(program), "filter_form": filter_form, "filtered": any(filters.values()),
        "page": page, "rows": selectors.entitlement_rows(page.object_list, user=user),
        "query": query.urlencode(),
        "cancel_form": (cancel_form or CancelForm()) if actions["cancel"] else None,
        "can_manage": can_manage_cash(user, program),
    }


@domain_page
@require_http_methods(["GET"])
def cycle_detail(request, pk: int):
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    return render(request, "cash/cycle_detail.html", _detail_context(request, cycle))


def _run(request, pk: int, call, success) -> object:
    """Run one action on the cycle: a rules refusal becomes a message, a user refusal the 403 page."""
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    try:
        result = call(cycle)
    except DomainError as exc:
        if _refused(exc):
            raise
        messages.error(request, exc.text)
    else:
        messages.success(request, success(result))
    return redirect("cash:cycle_detail", pk=cycle.pk)


@domain_page
@require_POST
def cycle_generate(request, pk: int):
    def success(cycle):
        return _t("Daftar penerima dibuat: %(count)s penerima, seluruhnya %(amount)s. Menunggu persetujuan.") % {
            "count": cycle.planned_count, "amount": rupiah(cycle.planned_amount)}

    return _run(request, pk, lambda cycle: services.cycle_generate(actor=request.user, cycle=cycle), success)


@domain_page
@require_POST
def cycle_approve(request, pk: int):
    def success(cycle):
        return _t("Siklus %(label)s disetujui: %(count)s penerima, %(amount)s. Berkas pembayaran dapat dibuat.") % {
            "label": cycle.label, "count": cycle.planned_count, "amount": rupiah(cycle.planned_amount)}

    return _run(request, pk, lambda cycle: services.cycle_approve(actor=request.user, cycle=cycle), success)


@domain_page
@require_POST
def cycle_cancel(request, pk: int):
    user = request.user
    cycle = selectors.cycle_get(user=user, pk=pk)
    if not can_manage_cash(user, cycle.program):
        raise PermissionDenied
    form = CancelForm(request.POST)
    if form.is_valid():
        ok, cancelled = form_attempt(form, lambda: services.cycle_cancel(
            actor=user, cycle=cycle, reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _t("Siklus %(label)s dibatalkan.") % {"label": cancelled.label})
            return redirect("cash:cycle_detail", pk=cycle.pk)
    cycle.refresh_from_db()
    if cycle.state in (CycleState.PAYING, CycleState.CLOSED, CycleState.CANCELLED):
        # The form is gone from the page in this state: say why at the top instead.
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("cash:cycle_detail", pk=cycle.pk)
    return render(request, "cash/cycle_detail.html", _detail_context(request, cycle, cancel_form=form), status=400)
