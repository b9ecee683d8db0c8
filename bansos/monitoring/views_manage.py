"""Admin pages: indicator targets, snapshot runs, RW boundaries (``P.MONITORING_MANAGE``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.monitoring import selectors
from bansos.monitoring.forms import BoundaryForm, IndicatorForm, SnapshotForm
from bansos.monitoring.models import Indicator
from bansos.monitoring.services import boundaries_load, indicator_update, snapshot_request
from bansos.monitoring.services.snapshots import parse_month


@perm_required(P.MONITORING_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def indicator_edit(request, code: str):
    indicator = get_object_or_404(Indicator, code=code)
    if request.method == "POST":
        form = IndicatorForm(request.POST)
        if form.is_valid():
            ok, _result = form_attempt(form, lambda: indicator_update(actor=request.user, indicator=indicator,
                                                                      **form.cleaned_data))
            if ok:
                messages.success(request, _t("Indikator disimpan."))
                return redirect("monitoring:indicator", code=indicator.code)
    else:
        form = IndicatorForm(initial={f: getattr(indicator, f) for f in IndicatorForm.base_fields})
    return render(request, "monitoring/indicator_form.html", {"indicator": indicator, "form": form})


@perm_required(P.MONITORING_VIEW)
@require_http_methods(["GET"])
def snapshots(request):
    return render(request, "monitoring/snapshots.html", {
        "snapshots": selectors.snapshot_list(), "form": SnapshotForm(),
        "indicators": Indicator.objects.all()})


@perm_required(P.MONITORING_MANAGE)
@domain_page
@require_POST
def snapshot_run(request):
    form = SnapshotForm(request.POST)
    if form.is_valid():
        ok, _r = form_attempt(form, lambda: snapshot_request(actor=request.user,
                                                             period=parse_month(form.cleaned_data["month"])))
        if ok:
            messages.success(request, _t("Perhitungan potret bulan %(m)s dijadwalkan.") % {
                "m": form.cleaned_data["month"]})
            return redirect("monitoring:snapshots")
    return render(request, "monitoring/snapshots.html", {
        "snapshots": selectors.snapshot_list(), "form": form, "indicators": Indicator.objects.all()}, status=422)


@perm_required(P.MONITORING_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def boundaries(request):
    form = BoundaryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, count = form_attempt(form, lambda: boundaries_load(actor=request.user,
                                                               text=form.cleaned_data["file"].read()))
        if ok:
            messages.success(request, _t("%(n)d batas RW disimpan.") % {"n": count})
            return redirect("monitoring:boundaries")
    return render(request, "monitoring/boundaries.html", {"form": form, "shapes": selectors.boundaries()},
                  status=422 if request.method == "POST" else 200)
