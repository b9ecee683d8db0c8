"""Area configuration pages (areas.manage) and the read-only audit trail (audit.view)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bansos.accounts.permissions import P
from bansos.core import selectors, services
from bansos.core.errors import DomainError
from bansos.core.forms import (
    AuditFilterForm, KelurahanForm, PosyanduForm, RTCreateForm, RTEditForm, RWForm, apply_domain_error,
    perm_required,
)
from bansos.core.models import RT, RW, Posyandu

AUDIT_PAGE_SIZE = 50


@perm_required(P.AREAS_MANAGE)
def area_list(request):
    return render(request, "core/area_list.html", {
        "tree": selectors.area_tree(),
        "posyandus": selectors.posyandu_list(),
    })


def _save(request, form, call, success: str, template: str, context: dict):
    """Run ``call`` when the form is valid; on a domain refusal show it on the form and change nothing."""
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("core:area_list")
    return render(request, template, {"form": form, **context})


@perm_required(P.AREAS_MANAGE)
def kelurahan_edit(request):
    current = selectors.kelurahan_current()
    initial = {f: getattr(current, f) for f in ("code", "name", "kecamatan", "city", "province")} if current else {
        "code": "31.73.05.1005", "name": "Duri Kepa", "kecamatan": "Kebon Jeruk", "city": "Jakarta Barat",
        "province": "DKI Jakarta",
    }
    form = KelurahanForm(request.POST or None, initial=initial)
    return _save(request, form, lambda d: services.kelurahan_update(actor=request.user, **d),
                 _("Data kelurahan disimpan."), "core/kelurahan_form.html", {"current": current})


@perm_required(P.AREAS_MANAGE)
def rw_create(request):
    form = RWForm(request.POST or None)
    return _save(request, form, lambda d: services.rw_create(actor=request.user, **d),
                 _("RW ditambahkan."), "core/area_form.html", {"title": _("Tambah RW")})


@perm_required(P.AREAS_MANAGE)
def rw_edit(request, pk: int):
    rw = get_object_or_404(RW, pk=pk)
    form = RWForm(request.POST or None, initial={"number": rw.number, "name": rw.name})
    return _save(request, form, lambda d: services.rw_update(actor=request.user, rw=rw, **d),
                 _("RW disimpan."), "core/area_form.html", {"title": _("Ubah %(rw)s") % {"rw": rw}})


@perm_required(P.AREAS_MANAGE)
def rt_create(request):
    initial = {}
    if request.GET.get("rw", "").isdigit():
        initial["rw"] = int(request.GET["rw"])
    form = RTCreateForm(request.POST or None, initial=initial)
    return _save(request, form, lambda d: services.rt_create(actor=request.user, **d),
                 _("RT ditambahkan."), "core/area_form.html", {"title": _("Tambah RT")})


@perm_required(P.AREAS_MANAGE)
def rt_edit(request, pk: int):
    rt = get_object_or_404(RT.objects.select_related("rw"), pk=pk)
    form = RTEditForm(request.POST or None, initial={"number": rt.number})
    return _save(request, form, lambda d: services.rt_update(actor=request.user, rt=rt, **d),
                 _("RT disimpan."), "core/area_form.html",
                 {"title": _("Ubah %(rt)s") % {"rt": rt},
                  "hint": _("RT tidak dapat dipindah ke RW lain; buat RT baru di RW tujuan bila perlu.")})


@perm_required(P.AREAS_MANAGE)
def posyandu_create(request):
    form = PosyanduForm(request.POST or None)
    return _save(request, form, lambda d: services.posyandu_create(actor=request.user, **d),
                 _("Posyandu ditambahkan."), "core/area_form.html", {"title": _("Tambah posyandu")})


@perm_required(P.AREAS_MANAGE)
def posyandu_edit(request, pk: int):
    posyandu = get_object_or_404(Posyandu.objects.prefetch_related("rts"), pk=pk)
    form = PosyanduForm(request.POST or None, initial={
        "name": posyandu.name, "rw": posyandu.rw_id, "rts": [rt.pk for rt in posyandu.rts.all()],
    })
    return _save(request, form, lambda d: services.posyandu_update(actor=request.user, posyandu=posyandu, **d),
                 _("Posyandu disimpan."), "core/area_form.html",
                 {"title": _("Ubah %(name)s") % {"name": posyandu.name}})


@perm_required(P.AUDIT_VIEW)
def audit_list(request):
    choices = selectors.audit_filter_choices()
    form = AuditFilterForm(request.GET or None, actions=choices["actions"], object_types=choices["object_types"])
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_search(
        action=filters.get("action", ""), actor=filters.get("actor", ""),
        object_type=filters.get("object_type", ""), date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})

