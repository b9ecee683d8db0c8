"""Coordination pages: overlap, concentration and exclusion figures, and the households behind them.

The figures are aggregates (COORDINATION_VIEW: admins, program officers, evaluators); the household
lists are personal data (COORDINATION_DETAIL: kelurahan admins only).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bansos.accounts.permissions import P, has_role_perm
from bansos.core.forms import perm_required
from bansos.core.models import RW
from bansos.programs.selectors import coordination as selectors

PAGE_SIZE = 25


def _rw_filter(request) -> RW | None:
    """The ``?rw=N`` filter: None when absent, 404 for a number that is not an RW of the kelurahan."""
    raw = (request.GET.get("rw") or "").strip()
    if not raw:
        return None
    try:
        number = int(raw)
    except ValueError:
        raise Http404 from None
    # RW numbers are small: a huge one would overflow the column's type on PostgreSQL.
    rw = RW.objects.filter(number=number).first() if 1 <= number <= 999 else None
    if rw is None:
        raise Http404
    return rw


@require_GET
@perm_required(P.COORDINATION_VIEW)
def coordination(request):
    return render(request, "programs/coordination/overview.html", {
        "overview": selectors.coordination_overview(),
        "can_detail": has_role_perm(request.user, P.COORDINATION_DETAIL),
        "buckets": selectors.BUCKETS, "many": selectors.MANY, "deciles": selectors.EXCLUSION_DECILES,
    })


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@perm_required(P.COORDINATION_DETAIL)
def excluded_households(request):
    rw = _rw_filter(request)
    return render(request, "programs/coordination/excluded_list.html", {
        "page": _page(request, selectors.coordination_excluded_households(rw=rw)), "rw": rw,
        "query": f"rw={rw.number}" if rw else "", "rws": RW.objects.order_by("number"),
        "deciles": selectors.EXCLUSION_DECILES,
    })


@require_GET
@perm_required(P.COORDINATION_DETAIL)
def many_program_households(request):
    rw = _rw_filter(request)
    page = _page(request, selectors.coordination_many_households(rw=rw))
    programs = selectors.households_programs(page.object_list)
    rows = [{"household": h, "programs": programs.get(h.pk, [])} for h in page.object_list]
    return render(request, "programs/coordination/many_list.html", {
        "page": page, "rows": rows, "rw": rw, "query": f"rw={rw.number}" if rw else "",
        "rws": RW.objects.order_by("number"), "many": selectors.MANY,
    })
