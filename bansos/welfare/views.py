"""Welfare model pages: the model in force, versions, editing a draft, publishing, rescoring."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from bansos.accounts.permissions import P, has_perm
from bansos.core.errors import DomainError, ValidationFailed
from bansos.core.origin import client_ip, origin
from bansos.welfare import selectors, services
from bansos.welfare.features import ATTRIBUTES
from bansos.welfare.models import ModelStatus, WelfareModel, WelfareRun


def _require(request, perm: str) -> None:
    if not has_perm(request.user, perm):
        raise PermissionDenied


def _web(request):
    return origin(channel="web", ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200])


@login_required
def model_overview(request):
    _require(request, P.WELFARE_VIEW)
    model = selectors.welfare_published_model()
    return render(request, "welfare/overview.html", {
        "model": model, "rows": selectors.welfare_model_rows(model) if model else [],
        "distribution": selectors.welfare_distribution(), "summary": selectors.welfare_scored_summary(),
        "run": selectors.welfare_last_run(), "can_manage": has_perm(request.user, P.WELFARE_MANAGE),
        "deciles": range(1, 11),
    })


@login_required
def version_list(request):
    _require(request, P.WELFARE_VIEW)
    return render(request, "welfare/version_list.html", {
        "models": selectors.welfare_model_list(), "can_manage": has_perm(request.user, P.WELFARE_MANAGE),
    })


@login_required
def version_detail(request, pk: int):
    _require(request, P.WELFARE_VIEW)
    model = get_object_or_404(WelfareModel.objects.select_related("created_by"), pk=pk)
    return render(request, "welfare/version_detail.html", {
        "model": model, "rows": selectors.welfare_model_rows(model),
        "can_manage": has_perm(request.user, P.WELFARE_MANAGE),
    })


@login_required
@require_POST
def version_create(request):
    _require(request, P.WELFARE_MANAGE)
    with _web(request):
        model = services.welfare_model_draft_create(actor=request.user)
    return redirect("welfare:version_edit", pk=model.pk)


@login_required
def version_edit(request, pk: int):
    _require(request, P.WELFARE_MANAGE)
    model = get_object_or_404(WelfareModel, pk=pk)
    if model.status != ModelStatus.DRAFT:
        messages.error(request, services.MSG_NOT_DRAFT)
        return redirect("welfare:version_detail", pk=model.pk)
    errors: dict[str, list[str]] = {}
    data = request.POST if request.method == "POST" else None
    if data is not None:
        weights = {(a.code, v): data.get(f"w__{a.code}__{v}", "") for a in ATTRIBUTES for v, _label in a.values}
        try:
            with _web(request):
                services.welfare_model_update(actor=request.user, model=model, name=data.get("name", ""),
                                              base_amount=data.get("base_amount", ""), notes=data.get("notes", ""),
                                              weights=weights)
        except ValidationFailed as exc:
            errors = exc.errors
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, _("Perubahan draf disimpan."))
            return redirect("welfare:version_detail", pk=model.pk)
    rows = selectors.welfare_model_rows(model)
    for row in rows:
        for value in row["values"]:
            value["input"] = data.get(value["field"], "") if data is not None else value["weight"]
            value["errors"] = errors.get(value["field"], [])
    form = {
        "name": data.get("name", "") if data is not None else model.name,
        "base_amount": data.get("base_amount", "") if data is not None else model.base_amount,
        "notes": data.get("notes", "") if data is not None else model.notes,
    }
    return render(request, "welfare/version_edit.html", {"model": model, "rows": rows, "form": form,
                                                         "errors": errors}, status=422 if errors else 200)


@login_required
@require_POST
def version_publish(request, pk: int):
    _require(request, P.WELFARE_MANAGE)
    model = get_object_or_404(WelfareModel, pk=pk)
    try:
        with _web(request):
            services.welfare_model_publish(actor=request.user, model=model)
    except DomainError as exc:
        messages.error(request, exc.text)
        return redirect("welfare:version_detail", pk=model.pk)
    messages.success(request, _("Model diberlakukan. Semua keluarga sedang dinilai ulang dengan model ini."))
    return redirect("welfare:overview")


@login_required
@require_POST
def rescore(request):
    _require(request, P.WELFARE_MANAGE)
    try:
        with _web(request):
            services.welfare_rescore_start(actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.text)
    return redirect("welfare:overview")


@login_required
def run_progress(request, pk: int):
    _require(request, P.WELFARE_MANAGE)
    run = get_object_or_404(WelfareRun, pk=pk)
    if run.finished and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "welfare/_run_progress.html", {"run": run})
