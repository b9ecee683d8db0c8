"""Pages of the kemandirian index: overview and computation, model versions, graduation, follow-up, impact."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import DomainError
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.programs.models import Enrollment, Program
from bansos.selfreliance import impact as impact_mod
from bansos.selfreliance import selectors
from bansos.selfreliance.chart import trajectory_svg
from bansos.selfreliance.components import COMPONENTS
from bansos.selfreliance.formats import month_label, parse_month
from bansos.selfreliance.forms import ComputeForm, DecisionForm, IndexModelForm
from bansos.selfreliance.models import GraduationState, IndexModel, IndexRun, ModelStatus
from bansos.selfreliance.services import graduation as grad_services
from bansos.selfreliance.services import index as index_services


def _view_or_graduate(user) -> None:
    if not (has_role_perm(user, P.MONITORING_VIEW) or has_role_perm(user, P.GRADUATION_MANAGE)):
        raise PermissionDenied


@domain_page
def overview(request):
    _view_or_graduate(request.user)
    month = selectors.latest_month()
    data = selectors.overview(month)
    trend = selectors.month_means()
    model = data["model"] or selectors.published_model()
    chart = trajectory_svg([(month_label(r["month"], short=True), round(r["mean"])) for r in trend],
                           threshold=model.threshold if model else None) if trend else None
    this_month = timezone.localdate().replace(day=1)
    form = ComputeForm(initial={"first_month": this_month.strftime("%Y-%m"), "last_month": this_month.strftime("%Y-%m")})
    for band in data.get("bands", []):
        band["bar"] = min(100, round(band["pct"], -1))
    return render(request, "selfreliance/overview.html", {
        "data": data, "trend": trend, "chart": chart, "model": model, "form": form,
        "run": IndexRun.objects.first(), "can_manage": has_role_perm(request.user, P.MONITORING_MANAGE),
        "can_graduate": has_role_perm(request.user, P.GRADUATION_MANAGE),
        "can_view": has_role_perm(request.user, P.MONITORING_VIEW),
        "proposed": len(selectors.graduation_list(user=request.user))
        if has_role_perm(request.user, P.GRADUATION_MANAGE) else None,
    })


@perm_required(P.MONITORING_MANAGE)
@require_POST
def compute(request):
    form = ComputeForm(request.POST)
    first = parse_month(request.POST.get("first_month"))
    last = parse_month(request.POST.get("last_month"))
    if first is None or last is None:
        messages.error(request, _t("Bulan harus diisi dengan format TTTT-BB, misalnya 2025-03."))
        return redirect("selfreliance:overview")
    ok, run = form_attempt(form, lambda: index_services.index_run_start(actor=request.user, first=first, last=last))
    if ok:
        messages.success(request, _t("Penghitungan indeks dimulai untuk %(first)s sampai %(last)s.") % {
            "first": month_label(first), "last": month_label(last)})
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("selfreliance:overview")


@domain_page
@perm_required(P.MONITORING_VIEW)
def model_list(request):
    models = selectors.model_list()
    rows = []
    for m in models:
        weights = {w.component: w.weight for w in m.weights.all()}
        rows.append({"model": m, "weights": [(c.label, weights.get(c.code, 0)) for c in COMPONENTS]})
    return render(request, "selfreliance/model_list.html", {
        "rows": rows, "components": COMPONENTS, "can_manage": has_role_perm(request.user, P.MONITORING_MANAGE),
        "has_draft": any(m.status == ModelStatus.DRAFT for m in models),
    })


@domain_page
@perm_required(P.MONITORING_MANAGE)
@require_POST
def model_create(request):
    model = index_services.index_model_draft_create(actor=request.user)
    messages.success(request, _t("Versi %(v)s dibuat sebagai draf.") % {"v": model.version})
    return redirect("selfreliance:model_edit", pk=model.pk)


def _model(pk: int) -> IndexModel:
    model = IndexModel.objects.filter(pk=pk).first()
    if model is None:
        raise Http404
    return model


@domain_page
@perm_required(P.MONITORING_MANAGE)
@require_http_methods(["GET", "POST"])
def model_edit(request, pk: int):
    model = _model(pk)
    weights = selectors.model_weights(model)
    if request.method == "POST":
        form = IndexModelForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            ok, _m = form_attempt(form, lambda: index_services.index_model_update(
                actor=request.user, model=model, name=data["name"], poverty_line=data["poverty_line"],
                threshold=data["threshold"], months_required=data["months_required"], notes=data["notes"],
                weights={c.code: data[f"w_{c.code}"] for c in COMPONENTS}), aliases={"weights": "__all__"})
            if ok:
                messages.success(request, _t("Draf disimpan."))
                return redirect("selfreliance:model_list")
    else:
        form = IndexModelForm(initial={
            "name": model.name, "poverty_line": model.poverty_line, "threshold": model.threshold,
            "months_required": model.months_required, "notes": model.notes,
            **{f"w_{c.code}": weights.get(c.code, 0) for c in COMPONENTS},
        })
    return render(request, "selfreliance/model_edit.html", {"model": model, "form": form,
                                                            "editable": model.status == ModelStatus.DRAFT})


@domain_page
@perm_required(P.MONITORING_MANAGE)
@require_POST
def model_publish(request, pk: int):
    model = _model(pk)
    try:
        index_services.index_model_publish(actor=request.user, model=model)
        messages.success(request, _t("Versi %(v)s berlaku. Hitung ulang indeks agar bulan-bulan memakai versi ini.")
                         % {"v": model.version})
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.text)
    return redirect("selfreliance:model_list")


@domain_page
@perm_required(P.GRADUATION_MANAGE)
def graduation_list(request):
    state = request.GET.get("status") or GraduationState.PROPOSED
    if state not in GraduationState.values:
        state = GraduationState.PROPOSED
    items = selectors.graduation_list(user=request.user, state=state)
    model = selectors.published_model()
    return render(request, "selfreliance/graduation_list.html", {
        "items": items, "state": state, "states": GraduationState.choices, "model": model, "form": DecisionForm(),
    })


def _decide(request, pk: int, call, success: str):
    graduation = selectors.graduation_get(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        call(graduation, reason)
        messages.success(request, success)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.text)
    return redirect("selfreliance:graduation_list")


@domain_page
@perm_required(P.GRADUATION_MANAGE)
@require_POST
def graduation_confirm(request, pk: int):
    return _decide(request, pk, lambda g, r: grad_services.graduation_confirm(actor=request.user, graduation=g, note=r),
                   _t("Kelulusan dikonfirmasi; bantuan tunai keluarga selesai dengan status lulus."))


@domain_page
@perm_required(P.GRADUATION_MANAGE)
@require_POST
def graduation_decline(request, pk: int):
    return _decide(request, pk,
                   lambda g, r: grad_services.graduation_decline(actor=request.user, graduation=g, reason=r),
                   _t("Usulan kelulusan tidak disetujui."))


@domain_page
@perm_required(P.GRADUATION_MANAGE)
def followup(request):
    rows = selectors.followup(user=request.user)
    return render(request, "selfreliance/followup.html", {
        "rows": rows, "model": selectors.published_model(), "month": selectors.latest_month(),
        "relapsed": sum(1 for r in rows if r["relapse"]),
    })


@domain_page
@perm_required(P.MONITORING_VIEW)
def impact_list(request):
    from django.db.models import Count, Q

    programs = (Program.objects.annotate(n=Count("enrollments__household", distinct=True,
                                                 filter=Q(enrollments__state__in=impact_mod.TOOK_PART)))
                .filter(n__gt=0).select_related("agency").order_by("name"))
    return render(request, "selfreliance/impact_list.html", {"programs": programs, "min_cell": impact_mod.MIN_CELL})


@domain_page
@perm_required(P.MONITORING_VIEW)
def impact_program(request, pk: int):
    program = Program.objects.select_related("agency").filter(pk=pk).first()
    if program is None:
        raise Http404
    months = selectors.stored_months()
    if not months:
        return render(request, "selfreliance/impact_program.html", {"program": program, "months": []})
    default_base = selectors.default_baseline(program, months)
    baseline = parse_month(request.GET.get("baseline")) or default_base
    followup_month = parse_month(request.GET.get("followup")) or months[-1]
    error = ""
    if baseline not in months or followup_month not in months or baseline >= followup_month:
        error = _t("Pilih bulan awal dan bulan tindak lanjut yang sudah dihitung, bulan awal lebih dahulu.")
        baseline, followup_month = default_base, months[-1]
    estimate = impact_mod.program_impact(program, baseline, followup_month) if baseline < followup_month else None
    return render(request, "selfreliance/impact_program.html", {
        "program": program, "months": months, "baseline": baseline, "followup": followup_month,
        "estimate": estimate, "error": error, "min_cell": impact_mod.MIN_CELL,
        "enrolled": Enrollment.objects.filter(program=program, state__in=impact_mod.TOOK_PART).count(),
    })
