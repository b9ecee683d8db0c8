"""Dashboard pages: the kelurahan, an RW, a program, an agency, a funding source, one indicator.

Thin: parse the filters, ask ``access`` and ``selectors``, render. Charts are SVG drawn by ``charts``.
"""

from __future__ import annotations

import csv
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_GET

from bansos.accounts.permissions import P
from bansos.core.errors import DomainError
from bansos.core.forms import domain_page, perm_required
from bansos.monitoring import access, charts, selectors
from bansos.monitoring.models import Area, Breakdown, Indicator
from bansos.monitoring.services.snapshots import parse_month


def _period(request) -> dt.date | None:
    text = request.GET.get("period", "")
    if not text:
        return None
    try:
        return parse_month(text)
    except DomainError:
        return None


def _decorate(cards, shown) -> None:
    for card in cards:
        card.extra["chart"] = charts.line_chart(
            card.indicator.name, [(p.label, p.value) for p in card.series], unit=card.indicator.unit,
            target=card.indicator.target)
        card.extra["latest_text"] = charts.fmt_number(card.latest.value if card.latest else None,
                                                      card.indicator.unit)
        card.extra["target_text"] = charts.fmt_number(card.indicator.target, card.indicator.unit)
        card.extra["change_text"] = charts.fmt_change(card.change, card.indicator.unit)


def _filters(request, shown, area: str = ""):
    stored = selectors.periods(months=60)
    return {"all_periods": [p.strftime("%Y-%m") for p in reversed(stored)],
            "period": shown[-1].strftime("%Y-%m") if shown else "", "area": area, "areas": Area.choices}


def _scope_page(request, *, breakdown: str, key: str, title: str, template: str = "monitoring/scope.html",
                extra: dict | None = None):
    until = _period(request)
    area = request.GET.get("area", "")
    area = area if area in Area.values else ""
    shown, cards = selectors.scope_cards(user=request.user, breakdown=breakdown, key=key, until=until, area=area)
    _decorate(cards, shown)
    context = {"title": title, "cards": cards, "shown": shown, "breakdown": breakdown, "key": key,
               "reveal": access.reveals_small_cells(request.user), **_filters(request, shown, area),
               **(extra or {})}
    return render(request, template, context)


@perm_required(P.MONITORING_VIEW)
@require_GET
def overview(request):
    until = _period(request)
    shown = selectors.periods(until=until)
    indicators = [i for i in Indicator.objects.filter(is_active=True) if "rw" in (i.breakdowns or [])]
    code = request.GET.get("indicator", "")
    chosen = next((i for i in indicators if i.code == code), indicators[0] if indicators else None)
    extra: dict = {"rw_indicators": indicators, "chosen": chosen}
    if chosen and shown:
        rows = selectors.breakdown_rows(user=request.user, indicator=chosen, breakdown="rw", period=shown[-1])
        extra["rw_rows"] = rows
        extra["rw_bars"] = charts.bar_chart(_t("%(name)s per RW") % {"name": chosen.name},
                                            [(r.label, r.point.value) for r in rows], unit=chosen.unit,
                                            target=chosen.target)
        values = {int(r.key): r.point.value for r in rows if r.key.isdigit()}
        shapes = selectors.boundaries()
        if shapes:
            extra["map"] = charts.map_chart(_t("Peta RW: %(name)s") % {"name": chosen.name}, shapes, values,
                                            unit=chosen.unit)
    columns, series = selectors.program_mix(user=request.user, shown=shown)
    if series:
        extra["mix"] = charts.stacked_chart(_t("Dana disalurkan per jenis program"), columns, series, unit="rupiah")
        extra["mix_columns"], extra["mix_series"] = columns, series
    from bansos.core.models import RW

    extra["rws"] = list(RW.objects.order_by("number"))
    return _scope_page(request, breakdown=Breakdown.TOTAL, key="", title=_t("Pemantauan Kelurahan Duri Kepa"),
                       template="monitoring/overview.html", extra=extra)


@perm_required(P.MONITORING_VIEW)
@require_GET
def rw_page(request, number: int):
    from bansos.core.models import RW

    rw = get_object_or_404(RW, number=number)
    return _scope_page(request, breakdown=Breakdown.RW, key=str(rw.number), title=_t("Pemantauan RW %(n)02d") % {
        "n": rw.number}, extra={"report_kind": "rw", "report_pk": rw.number})


@perm_required(P.MONITORING_VIEW)
@domain_page
@require_GET
def program_page(request, pk: int):
    from bansos.programs.models import Program

    program = get_object_or_404(Program.objects.select_related("agency"), pk=pk)
    if not access.can_view_program(request.user, program):
        raise PermissionDenied
    return _scope_page(request, breakdown=Breakdown.PROGRAM, key=str(program.pk),
                       title=_t("Pemantauan program: %(name)s") % {"name": program.name},
                       extra={"subtitle": program.agency.name, "report_kind": "program", "report_pk": program.pk})


@perm_required(P.MONITORING_VIEW)
@require_GET
def agency_page(request, pk: int):
    from bansos.accounts.models import Agency

    agency = get_object_or_404(Agency, pk=pk)
    if not access.can_view_agency(request.user, agency.pk):
        raise PermissionDenied
    return _scope_page(request, breakdown=Breakdown.AGENCY, key=str(agency.pk),
                       title=_t("Pemantauan lembaga: %(name)s") % {"name": agency.name},
                       extra={"report_kind": "agency", "report_pk": agency.pk})


@perm_required(P.MONITORING_VIEW)
@require_GET
def funding_page(request, pk: int):
    from bansos.programs.models import FundingSource

    source = get_object_or_404(FundingSource.objects.select_related("agency"), pk=pk)
    if not access.can_view_funding(request.user, source):
        raise PermissionDenied
    funded = {str(p) for p in source.allocations.values_list("program_id", flat=True)}
    shown = selectors.periods(until=_period(request))
    program_rows = []
    if shown:
        for code in ("budget-allocated", "budget-committed", "budget-disbursed", "budget-cost-per-beneficiary"):
            indicator = Indicator.objects.filter(code=code).first()
            if indicator:
                rows = selectors.breakdown_rows(user=request.user, indicator=indicator, breakdown="program",
                                                period=shown[-1], keys=funded)
                program_rows.append((indicator, rows))
    columns, series = selectors.program_mix(user=request.user, shown=shown, keys=funded)
    extra = {"source": source, "program_rows": program_rows, "report_kind": "funding", "report_pk": source.pk}
    if series:
        extra["mix"] = charts.stacked_chart(_t("Dana disalurkan per jenis program"), columns, series, unit="rupiah")
    return _scope_page(request, breakdown=Breakdown.FUNDING, key=str(source.pk),
                       title=_t("Pemantauan sumber dana: %(name)s") % {"name": source.name},
                       template="monitoring/funding.html", extra=extra)


@perm_required(P.MONITORING_VIEW)
@require_GET
def scopes(request):
    """The pages one can open: RWs, and the programs, agencies and funding sources this user may see."""
    from bansos.accounts.models import Agency
    from bansos.core.models import RW
    from bansos.programs.models import FundingSource, Program

    programs = Program.objects.select_related("agency").order_by("agency__name", "name")
    agencies = Agency.objects.order_by("name")
    sources = FundingSource.objects.order_by("-fiscal_year", "name")
    if request.user.role == "officer":
        programs = programs.filter(agency_id=request.user.agency_id)
        agencies = agencies.filter(pk=request.user.agency_id)
        sources = sources.filter(agency_id=request.user.agency_id)
    return render(request, "monitoring/scopes.html", {
        "rws": RW.objects.order_by("number"), "programs": programs, "agencies": agencies, "sources": sources})


def _indicator_for(request, code: str):
    indicator = get_object_or_404(Indicator, code=code)
    breakdown = request.GET.get("breakdown", "rw")
    if breakdown not in (indicator.breakdowns or []):
        breakdown = (indicator.breakdowns or ["total"])[0]
    return indicator, breakdown


@perm_required(P.MONITORING_VIEW)
@require_GET
def indicator_detail(request, code: str):
    indicator, breakdown = _indicator_for(request, code)
    shown, cards = selectors.scope_cards(user=request.user, breakdown="total", until=_period(request))
    card = next((c for c in cards if c.indicator.pk == indicator.pk), None)
    if card is None:
        raise Http404
    _decorate([card], shown)
    card.extra["chart"] = charts.line_chart(indicator.name, [(p.label, p.value) for p in card.series],
                                            unit=indicator.unit, target=indicator.target, width=640, height=200)
    rows = []
    bars = None
    if shown:
        rows = selectors.breakdown_rows(user=request.user, indicator=indicator, breakdown=breakdown,
                                        period=shown[-1])
        bars = charts.bar_chart(indicator.name, [(r.label, r.point.value) for r in rows], unit=indicator.unit,
                                target=indicator.target)
    return render(request, "monitoring/indicator.html", {
        "indicator": indicator, "card": card, "rows": rows, "bars": bars, "breakdown": breakdown,
        "breakdowns": [(b, label) for b, label in Breakdown.choices if b in (indicator.breakdowns or [])],
        "breakdown_label": dict(Breakdown.choices).get(breakdown, breakdown),
        "reveal": access.reveals_small_cells(request.user), **_filters(request, shown)})


@perm_required(P.MONITORING_VIEW)
@require_GET
def indicator_csv(request, code: str):
    """The numbers behind the indicator's charts: its monthly series and one breakdown; small cells hidden."""
    from bansos.monitoring.reports import csv_rows, indicator_table

    indicator, breakdown = _indicator_for(request, code)
    table = indicator_table(user=request.user, indicator=indicator, breakdown=breakdown, until=_period(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="indikator-{indicator.code}-{breakdown}.csv"'
    writer = csv.writer(response)
    for row in csv_rows(table):
        writer.writerow(row)
    return response
