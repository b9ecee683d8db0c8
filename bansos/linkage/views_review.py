"""Staff pages of the registry deduplication: runs, the review queue of pairs, merges and their undoing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from bansos.accounts.models import Role
from bansos.core.errors import DomainError
from bansos.core.origin import client_ip, origin
from bansos.linkage import selectors
from bansos.linkage.access import require_manage_linkage
from bansos.linkage.models import CandidatePair, LinkageRun, PairStatus, RunStatus
from bansos.linkage.services.pairs import pair_confirm, pair_reject
from bansos.linkage.services.runs import linkage_run_start
from bansos.registry.models import Resident, ResidentMerge
from bansos.registry.services_merge import resident_unmerge


def _web(request):
    return origin(channel="web", ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200])


def _manager(request) -> None:
    from django.core.exceptions import PermissionDenied

    try:
        require_manage_linkage(request.user)
    except DomainError:
        raise PermissionDenied from None


@login_required
def run_list(request):
    _manager(request)
    return render(request, "linkage/run_list.html", {
        "runs": selectors.run_list(), "busy": selectors.run_busy(), "counts": selectors.pair_counts(),
        "merges": selectors.recent_merges(10),
    })


@login_required
@require_POST
def run_start(request):
    _manager(request)
    try:
        with _web(request):
            run = linkage_run_start(actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.text)
        return redirect("linkage:run_list")
    return redirect("linkage:run_detail", pk=run.pk)


def _finished(run: LinkageRun) -> bool:
    return run.status in (RunStatus.DONE, RunStatus.FAILED)


@login_required
def run_detail(request, pk: int):
    _manager(request)
    run = get_object_or_404(LinkageRun.objects.select_related("created_by"), pk=pk)
    return render(request, "linkage/run_detail.html", {"run": run, "finished": _finished(run)})


@login_required
def run_progress(request, pk: int):
    _manager(request)
    run = get_object_or_404(LinkageRun, pk=pk)
    if _finished(run) and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "linkage/_run_progress.html", {"run": run, "finished": _finished(run)})


@login_required
def pair_list(request):
    _manager(request)
    band = request.GET.get("band", "")
    band = band if band in ("auto", "review") else ""
    status = request.GET.get("status", PairStatus.PENDING)
    status = status if status in PairStatus.values or status == "" else PairStatus.PENDING
    page = Paginator(selectors.pair_queue(selectors.PairFilters(band=band, status=status)), 25).get_page(
        request.GET.get("page"))
    for pair in page.object_list:
        pair.lines = selectors.evidence_lines(pair.evidence)
    return render(request, "linkage/pair_list.html", {
        "page": page, "band": band, "status": status, "statuses": PairStatus.choices,
        "counts": selectors.pair_counts(),
    })


def _pair(pk: int) -> CandidatePair:
    return get_object_or_404(CandidatePair.objects.select_related(
        "left__household__rt__rw", "right__household__rt__rw", "run", "decided_by", "merge"), pk=pk)


@login_required
def pair_detail(request, pk: int):
    _manager(request)
    pair = _pair(pk)
    return render(request, "linkage/pair_detail.html", _pair_context(pair))


def _pair_context(pair, **extra) -> dict:
    return {"pair": pair, "lines": selectors.evidence_lines(pair.evidence), "band": selectors.band_of(pair.probability),
            "sides": [selectors.resident_side(pair.left), selectors.resident_side(pair.right)],
            "percent": round(pair.probability * 100, 1), **extra}


@login_required
@require_POST
def pair_confirm_view(request, pk: int):
    _manager(request)
    pair = _pair(pk)
    keep = request.POST.get("keep", "")
    reason = request.POST.get("reason", "")
    try:
        with _web(request):
            pair_confirm(actor=request.user, pair=pair, keep_id=int(keep) if keep.isdigit() else 0, reason=reason)
    except DomainError as exc:
        return render(request, "linkage/pair_detail.html",
                      _pair_context(pair, errors={exc.field or "all": exc.text}, posted=request.POST),
                      status=422)
    messages.success(request, _("Data digabung. Penggabungan dapat dibatalkan oleh admin dari riwayat warga."))
    return redirect(_next_pair_url())


@login_required
@require_POST
def pair_reject_view(request, pk: int):
    _manager(request)
    pair = _pair(pk)
    try:
        with _web(request):
            pair_reject(actor=request.user, pair=pair, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return render(request, "linkage/pair_detail.html",
                      _pair_context(pair, errors={exc.field or "all": exc.text}, posted=request.POST),
                      status=422)
    messages.success(request, _("Pasangan ditandai sebagai orang yang berbeda."))
    return redirect(_next_pair_url())


def _next_pair_url() -> str:
    from django.urls import reverse

    nxt = selectors.pair_queue(selectors.PairFilters()).first()
    return reverse("linkage:pair_detail", args=[nxt.pk]) if nxt else reverse("linkage:pair_list")


@login_required
def resident_merges(request, pk: int):
    """A resident's merge history; a merged record's page points at the record that lives on."""
    _manager(request)
    resident = get_object_or_404(Resident.objects.select_related("household__rt__rw", "merged_into"), pk=pk)
    survivor = selectors.final_survivor(resident) if resident.merged_into_id else None
    return render(request, "linkage/resident_merges.html", {
        "resident": resident, "survivor": survivor, "merges": selectors.merges_of(resident),
        "is_admin": request.user.role == Role.ADMIN,
    })


@login_required
def merge_undo(request, pk: int):
    _manager(request)
    merge = get_object_or_404(ResidentMerge.objects.select_related("survivor__household", "duplicate__household"),
                              pk=pk)
    error = ""
    if request.method == "POST":
        try:
            with _web(request):
                resident_unmerge(actor=request.user, merge=merge, reason=request.POST.get("reason", ""))
        except DomainError as exc:
            if exc.status == 403:
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied from None
            error = exc.text
        else:
            messages.success(request, _("Penggabungan dibatalkan; catatan dikembalikan ke data semula."))
            return redirect("linkage:resident_merges", pk=merge.duplicate_id)
    if request.user.role != Role.ADMIN:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return render(request, "linkage/merge_undo.html", {"merge": merge, "error": error,
                                                      "reason": request.POST.get("reason", "")},
                  status=422 if error else 200)
