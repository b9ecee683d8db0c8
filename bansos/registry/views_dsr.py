"""Data-subject request pages (UU PDP): the list, recording a request, and working it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods

from bansos.accounts.permissions import P, has_perm
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.forms import form_attempt
from bansos.registry import selectors, selectors_dsr, services, services_dsr
from bansos.registry.forms import DsrCreateForm, DsrFilterForm, DsrStatusForm
from bansos.registry.models import ASSET_FIELDS, DsrKind
from bansos.registry.views import PAGE_SIZE, _attributes, _members, registry_page


@registry_page
@require_http_methods(["GET"])
def dsr_list(request):
    form = DsrFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors_dsr.dsr_list(
        user=request.user, status=data.get("status", ""), overdue=bool(data.get("overdue"))
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"req": r, "overdue": selectors_dsr.dsr_is_overdue(r, now=now)} for r in page.object_list]
    query = urlencode({k: v for k, v in request.GET.items() if v and k != "page"})
    return render(
        request, "registry/dsr_list.html", {"form": form, "page": page, "rows": rows, "query": query}
    )


@registry_page
@require_http_methods(["GET", "POST"])
def dsr_create(request, pk):
    household = selectors.household_get(user=request.user, pk=pk)
    if not has_perm(request.user, P.DSR_MANAGE, household):
        raise PermissionDenied
    form = DsrCreateForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, dsr = form_attempt(
            form,
            lambda: services.dsr_create(
                actor=request.user,
                household=household,
                kind=data["kind"],
                requester_name=data["requester_name"],
                description=data["description"],
                resident=data["resident"],
            ),
        )
        if ok:
            messages.success(request, _t("Permintaan dicatat. Batas waktu: 3 x 24 jam."))
            return redirect("registry:dsr_detail", pk=dsr.pk)
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "household": household,
            "title": _t("Catat permintaan data pribadi"),
            "submit": _t("Catat permintaan"),
            "intro": _t(
                "Permintaan warga atas data pribadinya menurut UU No. 27 Tahun 2022 (UU PDP): akses, "
                "perbaikan, penghapusan, penarikan persetujuan, atau keberatan."
            ),
        },
    )


@registry_page
@require_http_methods(["GET", "POST"])
def dsr_detail(request, pk):
    dsr = selectors_dsr.dsr_get(user=request.user, pk=pk)
    form = DsrStatusForm(None, request_obj=dsr)
    if request.method == "POST" and request.POST.get("action") == "access_copy":
        try:
            services_dsr.dsr_export_access(actor=request.user, request=dsr)
        except (NotFoundError, PermissionDeniedError):
            raise
        except DomainError as exc:
            messages.error(request, exc.text)
            return redirect("registry:dsr_detail", pk=dsr.pk)
        return _access_copy(request, dsr)
    if request.method == "POST":
        form = DsrStatusForm(request.POST, request_obj=dsr)
        if form.is_valid():
            ok, _saved = form_attempt(
                form,
                lambda: services.dsr_set_status(
                    actor=request.user,
                    request=dsr,
                    status=form.cleaned_data["status"],
                    resolution=form.cleaned_data["resolution"],
                ),
            )
            if ok:
                messages.success(request, _t("Status permintaan diubah."))
                return redirect("registry:dsr_detail", pk=dsr.pk)
    return render(
        request,
        "registry/dsr_detail.html",
        {
            "dsr": dsr,
            "form": form,
            "open": bool(form.fields["status"].choices),
            "overdue": selectors_dsr.dsr_is_overdue(dsr),
            "is_access": dsr.kind == DsrKind.ACCESS,
        },
    )


def _access_copy(request, dsr):
    """The household's personal data as a printable page (already audited as an export)."""
    household = selectors.household_get(user=request.user, pk=dsr.household_id)
    return render(
        request,
        "registry/dsr_access_copy.html",
        {
            "dsr": dsr,
            "household": household,
            "members": _members(household, can_nik=has_perm(request.user, P.NIK_FULL, household)),
            "attributes": _attributes(household),
            "assets": [str(label) for name, label in ASSET_FIELDS if getattr(household, name)],
            "printed_at": timezone.now(),
        },
    )
