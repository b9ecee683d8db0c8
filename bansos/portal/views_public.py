"""Public pages of the portal (no sign-in): home, catalog, program page, questionnaire, status check."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bansos.core.errors import DomainError, NotFoundError
from bansos.core.forms import apply_domain_error
from bansos.core.origin import client_ip
from bansos.portal import selectors
from bansos.portal.forms import CatalogFilterForm, QuestionnaireForm, StatusForm
from bansos.portal.services.common import Throttled
from bansos.portal.services.status import status_check


@require_http_methods(["GET"])
def home(request):
    user = request.user
    if user.is_authenticated and user.role == "resident" and user.household_id:
        return redirect("portal:beranda")
    return render(request, "portal/home.html", {"programs": selectors.catalog_programs()[:4]})


@require_http_methods(["GET"])
def catalog(request):
    form = CatalogFilterForm(request.GET or None)
    filters = form.filters()
    return render(request, "portal/catalog.html", {
        "form": form, "programs": selectors.catalog_programs(**filters), "filtered": any(filters.values()),
    })


@require_http_methods(["GET"])
def program_detail(request, pk: int):
    try:
        program = selectors.program_public_get(pk)
    except NotFoundError:
        raise Http404 from None
    return render(request, "portal/program_detail.html", {
        "program": program, "rule_text": selectors.program_rule_text(program),
    })


@require_http_methods(["GET"])
def questionnaire(request):
    """GET only: the answers travel in the query string and nothing is stored."""
    form = QuestionnaireForm(request.GET or None)
    result = None
    if request.GET.get("cek") and form.is_valid():
        result = selectors.suggestions(form.cleaned_data)
    return render(request, "portal/questionnaire.html", {"form": form, "result": result})


@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    form = StatusForm(request.POST or None)
    result, code = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = status_check(nik=form.cleaned_data["nik"], birth_date_value=form.cleaned_data["birth_date"],
                                      ip=client_ip(request))
            except Throttled as exc:
                form.add_error(None, exc.text)
                code = 429
            except DomainError as exc:
                apply_domain_error(form, exc)
                code = 400
        else:
            code = 400
    return render(request, "portal/status.html", {"form": form, "result": result}, status=code)


@require_http_methods(["GET"])
def offline(request):
    return render(request, "portal/offline.html")
