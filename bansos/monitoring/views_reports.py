"""Reports of a scope (kelurahan, RW, program, agency, funding source): printable page, CSV, XLSX, PDF."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_GET

from bansos.accounts.permissions import P
from bansos.core.forms import perm_required
from bansos.monitoring import access, charts, reports
from bansos.monitoring.services import export_record
from bansos.monitoring.views import _period

KINDS = ("rw", "program", "agency", "funding")


def _scope(request, kind: str, pk: int | None) -> tuple[str, str, str]:
    """(breakdown, key, title) of the report, or 404/403."""
    if kind == "total":
        return "total", "", _t("Laporan pemantauan Kelurahan Duri Kepa")
    if kind == "rw":
        from bansos.core.models import RW

        rw = get_object_or_404(RW, number=pk)
        return "rw", str(rw.number), _t("Laporan pemantauan RW %(n)02d") % {"n": rw.number}
    if kind == "program":
        from bansos.programs.models import Program

        program = get_object_or_404(Program, pk=pk)
        if not access.can_view_program(request.user, program):
            raise PermissionDenied
        return "program", str(program.pk), _t("Laporan program %(name)s") % {"name": program.name}
    if kind == "agency":
        from bansos.accounts.models import Agency

        agency = get_object_or_404(Agency, pk=pk)
        if not access.can_view_agency(request.user, agency.pk):
            raise PermissionDenied
        return "agency", str(agency.pk), _t("Laporan lembaga %(name)s") % {"name": agency.name}
    if kind == "funding":
        from bansos.programs.models import FundingSource

        source = get_object_or_404(FundingSource, pk=pk)
        if not access.can_view_funding(request.user, source):
            raise PermissionDenied
        return "funding", str(source.pk), _t("Laporan sumber dana %(name)s") % {"name": source.name}
    raise Http404


@perm_required(P.MONITORING_VIEW)
@require_GET
def report(request, kind: str = "total", pk: int | None = None):
    breakdown, key, title = _scope(request, kind, pk)
    lines = reports.scope_table(user=request.user, kind=breakdown, key=key, until=_period(request))
    groups: dict[int, dict] = {}
    for line in lines:
        group = groups.setdefault(line.indicator.pk, {"indicator": line.indicator, "series": [], "cells": []})
        (group["series"] if line.breakdown == breakdown and line.key == key else group["cells"]).append(line)
    for group in groups.values():
        ind = group["indicator"]
        group["chart"] = charts.line_chart(ind.name, [(s.period.strftime("%Y-%m"), s.value) for s in group["series"]],
                                           unit=ind.unit, target=ind.target, width=480, height=110)
        group["latest"] = charts.fmt_number(group["series"][-1].value if group["series"] else None, ind.unit)
        group["target"] = charts.fmt_number(ind.target, ind.unit)
        for line in group["series"] + group["cells"]:
            line.text = charts.fmt_number(line.value, ind.unit)
    return render(request, "monitoring/report.html", {
        "title": title, "groups": list(groups.values()), "kind": kind, "pk": pk})


@perm_required(P.MONITORING_VIEW)
@require_GET
def export(request, fmt: str, kind: str = "total", pk: int | None = None):
    breakdown, key, title = _scope(request, kind, pk)
    lines = reports.scope_table(user=request.user, kind=breakdown, key=key, until=_period(request))
    name = f"pemantauan-{kind}{'-' + str(pk) if pk is not None else ''}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        for row in reports.csv_rows(lines):
            writer.writerow(row)
    elif fmt == "xlsx":
        response = HttpResponse(reports.xlsx_bytes(lines, title),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    elif fmt == "pdf":
        response = HttpResponse(reports.pdf_bytes(lines, title), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    export_record(actor=request.user, scope=kind, key=key, fmt=fmt, rows=len(lines))
    return response
