"""Setup pages of cash transfers: paying institutions, a program's cash scheme, a household's payee account.

Thin: parse the form, call one service, render. Who may do what is ``cash.access``'s and the services'.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods

from bansos.accounts.permissions import P
from bansos.cash import selectors_cycles as selectors
from bansos.cash.access import require_cash
from bansos.cash.files import PAYMENT_COLUMNS
from bansos.cash.forms_setup import DELIMITER_CHOICES, AccountForm, InstitutionForm, SchemeForm
from bansos.cash.models import CycleState
from bansos.cash.services import setup as services
from bansos.core.forms import domain_page, form_attempt, perm_required

PAGE_SIZE = 30


# --- Paying institutions (kelurahan admin) ----------------------------------------------------------


def _column_help() -> list[dict]:
    return [{"key": c.key, "header": c.header, "label": c.label} for c in PAYMENT_COLUMNS.values()]


@perm_required(P.CASH_INSTITUTIONS)
@domain_page
@require_http_methods(["GET"])
def institution_list(request):
    page = Paginator(selectors.institution_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(DELIMITER_CHOICES)
    for institution in page.object_list:
        institution.delimiter_label = labels.get(institution.csv_delimiter, institution.csv_delimiter)
    return render(request, "cash/institution_list.html", {"page": page, "query": ""})


@perm_required(P.CASH_INSTITUTIONS)
@domain_page
@require_http_methods(["GET", "POST"])
def institution_create(request):
    form = InstitutionForm(request.POST or None, initial={"columns": "reference\nnik\nname\naccount_number\namount"})
    if request.method == "POST" and form.is_valid():
        ok, _institution = form_attempt(
            form, lambda: services.institution_create(actor=request.user, data=form.service_data()))
        if ok:
            messages.success(request, _t("Lembaga bayar dicatat."))
            return redirect("cash:institution_list")
    return render(request, "cash/institution_form.html", {"form": form, "creating": True, "columns": _column_help()},
                  status=400 if form.is_bound else 200)


@perm_required(P.CASH_INSTITUTIONS)
@domain_page
@require_http_methods(["GET", "POST"])
def institution_edit(request, pk: int):
    institution = selectors.institution_get(pk=pk)
    form = InstitutionForm(request.POST or None, initial=InstitutionForm.initial_for(institution))
    if request.method == "POST" and form.is_valid():
        ok, _institution = form_attempt(form, lambda: services.institution_update(
            actor=request.user, institution=institution, data=form.service_data()))
        if ok:
            messages.success(request, _t("Lembaga bayar diperbarui."))
            return redirect("cash:institution_list")
    return render(request, "cash/institution_form.html", {
        "form": form, "creating": False, "institution": institution, "columns": _column_help(),
    }, status=400 if form.is_bound else 200)


# --- A program's scheme -----------------------------------------------------------------------------


@domain_page
@require_http_methods(["GET", "POST"])
def scheme_edit(request, program_id: int):
    user = request.user
    program = selectors.cash_program_get(user=user, pk=program_id)
    require_cash(user, program)
    scheme = selectors.scheme_for(program)
    form = SchemeForm(request.POST or None, initial=SchemeForm.initial_for(scheme))
    if request.method == "POST" and form.is_valid():
        ok, _scheme = form_attempt(form, lambda: services.scheme_set(actor=user, program=program,
                                                                     data=form.service_data()))
        if ok:
            messages.success(request, _t("Skema bantuan tunai disimpan. Siklus yang sudah dibuat tidak berubah."))
            return redirect("cash:cycle_list", program_id=program.pk)
    locked = program.cycles.filter(state=CycleState.GENERATED).exists()
    return render(request, "cash/scheme_form.html", {
        "form": form, "program": program, "scheme": scheme, "locked": locked,
    }, status=400 if form.is_bound else 200)


# --- A household's payee account --------------------------------------------------------------------


@domain_page
@require_http_methods(["GET", "POST"])
def account_edit(request, household_id: int):
    user = request.user
    household = selectors.account_household_get(user=user, pk=household_id)
    accounts = selectors.household_accounts(household)
    initial = {}
    chosen = request.GET.get("lembaga", "")
    full_number = selectors.account_number_in_full(user)
    if chosen.isdigit() and int(chosen) in accounts:
        account = accounts[int(chosen)]
        # Area staff re-type the number of a correction: they read account numbers masked.
        initial = {"institution": account.institution_id, "account_name": account.account_name,
                   "account_number": account.account_number if full_number else ""}
    shown = [{"institution": a.institution, "institution_id": a.institution_id, "name": a.account_name,
              "number": a.account_number if full_number else selectors.masked_account(a.account_number)}
             for a in accounts.values()]
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _account = form_attempt(form, lambda: services.payee_account_set(
            actor=user, household=household, institution=data["institution"],
            account_number=data["account_number"], account_name=data["account_name"]))
        if ok:
            messages.success(request, _t("Rekening penerima disimpan."))
            return redirect(reverse("registry:household_detail", args=[household.pk]) + "#bantuan-tunai")
    return render(request, "cash/account_form.html", {
        "form": form, "household": household, "accounts": shown,
    }, status=400 if form.is_bound else 200)
