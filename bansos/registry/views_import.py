"""Import and export pages: upload, job progress and report, template, export download."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from bansos.accounts.permissions import P, has_perm
from bansos.core.errors import DomainError
from bansos.core.origin import client_ip, origin
from bansos.registry.exporting import csv_lines, households_export, template_example, xlsx_tempfile
from bansos.registry.importing import read_summary
from bansos.registry.importing.jobs import import_job_create, import_job_rerun
from bansos.registry.models import ImportJob, ImportStatus
from bansos.registry.selectors import HouseholdFilters

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau XLSX"), allow_empty_file=True)
    dry_run = forms.BooleanField(label=_("Uji coba saja (dry run)"), required=False, initial=True)


def _require(request, perm: str) -> None:
    if not has_perm(request.user, perm):
        raise PermissionDenied


def _web_origin(request):
    return origin(channel="web", ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200])


@login_required
def import_list(request):
    _require(request, P.REGISTRY_IMPORT)
    jobs = ImportJob.objects.select_related("created_by")[:100]
    return render(request, "registry/import_list.html", {"jobs": jobs})


@login_required
def import_create(request):
    _require(request, P.REGISTRY_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with _web_origin(request):
                job = import_job_create(actor=request.user, upload=form.cleaned_data["file"],
                                        dry_run=form.cleaned_data["dry_run"])
        except DomainError as exc:
            form.add_error("file", exc.text)
        else:
            return redirect("registry:import_detail", pk=job.pk)
    return render(request, "registry/import_create.html", {"form": form}, status=422 if form.errors else 200)


def _job(request, pk: int) -> ImportJob:
    _require(request, P.REGISTRY_IMPORT)
    return get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)


def _finished(job: ImportJob) -> bool:
    return job.status in (ImportStatus.DONE, ImportStatus.FAILED)


@login_required
def import_detail(request, pk: int):
    job = _job(request, pk)
    if request.method == "POST":
        try:
            with _web_origin(request):
                new = import_job_rerun(actor=request.user, job=job)
        except DomainError as exc:
            messages.error(request, exc.text)
            return redirect("registry:import_detail", pk=job.pk)
        return redirect("registry:import_detail", pk=new.pk)
    summary = read_summary(Path(job.report_path)) if job.report_path and _finished(job) else None
    return render(request, "registry/import_detail.html", {
        "job": job, "summary": summary, "finished": _finished(job),
        "rejected": (summary or {}).get("rejected_sample", []),
    })


@login_required
def import_progress(request, pk: int):
    job = _job(request, pk)
    if _finished(job) and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "registry/import_progress.html", {"job": job, "finished": _finished(job)})


@login_required
def import_report(request, pk: int):
    job = _job(request, pk)
    path = Path(job.report_path) if job.report_path else None
    if path is None or not path.exists():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"laporan-impor-{job.pk}.csv",
                        content_type="text/csv; charset=utf-8")


@login_required
def import_template(request, fmt: str):
    _require(request, P.REGISTRY_IMPORT)
    if fmt == "csv":
        response = HttpResponse("".join(csv_lines(iter([template_example()]))), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-impor-keluarga.csv"'
        return response
    if fmt == "xlsx":
        handle = xlsx_tempfile(iter([template_example()]), instructions=True)
        return FileResponse(handle, as_attachment=True, filename="templat-impor-keluarga.xlsx",
                            content_type=XLSX_TYPE)
    raise Http404


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def export_households(request):
    _require(request, P.REGISTRY_EXPORT)
    data = request.GET
    fmt = data.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        fmt = "csv"
    filters = HouseholdFilters(
        q=data.get("q", "")[:100], rw=_int_or_none(data.get("rw")), rt=_int_or_none(data.get("rt")),
        status=data.get("status", "active") if data.get("status", "active") in ("", "active", "moved", "dissolved")
        else "active",
        female_head=data.get("female_head") in ("1", "on", "true"),
    )
    with _web_origin(request):
        _count, rows = households_export(actor=request.user, filters=filters, fmt=fmt)
    if fmt == "xlsx":
        return FileResponse(xlsx_tempfile(rows), as_attachment=True, filename="ekspor-keluarga.xlsx",
                            content_type=XLSX_TYPE)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ekspor-keluarga.csv"'
    return response

