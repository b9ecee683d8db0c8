"""Agency-list pages: upload, column mapping, progress, rows with review, report and CSV download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from bansos.core.errors import DomainError, NotFoundError, ValidationFailed
from bansos.linkage import selectors
from bansos.linkage.access import require_list, require_lists
from bansos.linkage.forms import FIELD_NAMES, ListUploadForm
from bansos.linkage.models import LIST_FIELDS, AgencyList, AgencyListRow, ListStatus, RowStatus
from bansos.linkage.services.lists import agency_list_export_audit, agency_list_map, agency_list_row_decide, agency_list_upload
from bansos.linkage.views_review import _web
from bansos.registry.exporting import neutralise


def _user_lists(request) -> None:
    try:
        require_lists(request.user)
    except DomainError:
        raise PermissionDenied from None


def _list(request, pk: int) -> AgencyList:
    _user_lists(request)
    agency_list = get_object_or_404(AgencyList.objects.select_related("agency", "uploaded_by"), pk=pk)
    try:
        require_list(request.user, agency_list)
    except NotFoundError:
        raise Http404 from None
    return agency_list


@login_required
def list_list(request):
    _user_lists(request)
    lists = selectors.agency_lists(request.user)[:100]
    return render(request, "linkage/list_list.html", {"lists": lists})


@login_required
def list_upload(request):
    _user_lists(request)
    form = ListUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with _web(request):
                agency_list = agency_list_upload(actor=request.user, upload=form.cleaned_data["file"],
                                                 title=form.cleaned_data["title"],
                                                 agency=form.cleaned_data.get("agency"))
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied from None
            form.add_error(exc.field if exc.field in form.fields else "file", exc.text)
        else:
            return redirect("linkage:list_detail", pk=agency_list.pk)
    return render(request, "linkage/list_upload.html", {"form": form}, status=422 if form.errors else 200)


def _mapping_rows(agency_list: AgencyList, chosen: dict) -> list[dict]:
    return [{"field": f, "label": FIELD_NAMES[f], "chosen": chosen.get(f)} for f in LIST_FIELDS]


def _finished(agency_list: AgencyList) -> bool:
    return agency_list.status in (ListStatus.DONE, ListStatus.FAILED)


@login_required
def list_detail(request, pk: int):
    agency_list = _list(request, pk)
    status = request.GET.get("status", "")
    status = status if status in RowStatus.values else ""
    q = request.GET.get("q", "").strip()[:60]
    page = None
    if agency_list.status == ListStatus.DONE:
        page = Paginator(selectors.list_rows(agency_list, status=status, q=q), 25).get_page(request.GET.get("page"))
        for row in page.object_list:
            row.lines = selectors.evidence_lines(row.evidence) if row.status == RowStatus.POSSIBLE else []
    return render(request, "linkage/list_detail.html", {
        "list": agency_list, "finished": _finished(agency_list), "page": page, "status": status, "q": q,
        "statuses": RowStatus.choices, "mapping_rows": _mapping_rows(agency_list, agency_list.mapping),
        "columns": list(enumerate(agency_list.headers)),
    })


@login_required
@require_POST
def list_map(request, pk: int):
    agency_list = _list(request, pk)
    chosen = {f: request.POST.get(f, "") for f in LIST_FIELDS}
    try:
        with _web(request):
            agency_list_map(actor=request.user, agency_list=agency_list, mapping=chosen)
    except ValidationFailed as exc:
        return render(request, "linkage/list_detail.html", {
            "list": agency_list, "finished": False, "errors": exc.errors,
            "mapping_rows": [{**r, "chosen": int(chosen[r["field"]]) if str(chosen[r["field"]]).isdigit() else None,
                              "errors": exc.errors.get(r["field"], [])}
                             for r in _mapping_rows(agency_list, {})],
            "columns": list(enumerate(agency_list.headers)),
        }, status=422)
    except DomainError as exc:
        messages.error(request, exc.text)
    return redirect("linkage:list_detail", pk=agency_list.pk)


@login_required
def list_progress(request, pk: int):
    agency_list = _list(request, pk)
    if _finished(agency_list) and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "linkage/_list_progress.html", {"list": agency_list, "finished": _finished(agency_list)})


@login_required
@require_POST
def row_decide(request, pk: int, row: int):
    agency_list = _list(request, pk)
    row_obj = get_object_or_404(AgencyListRow, agency_list=agency_list, pk=row)
    try:
        with _web(request):
            agency_list_row_decide(actor=request.user, row=row_obj, decision=request.POST.get("decision", ""))
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _("Baris %(n)s sudah ditinjau.") % {"n": row_obj.number})
    from django.urls import reverse

    return redirect(reverse("linkage:list_detail", args=[agency_list.pk]) + "?status=possible")


@login_required
def list_report(request, pk: int):
    agency_list = _list(request, pk)
    if agency_list.status != ListStatus.DONE:
        return redirect("linkage:list_detail", pk=agency_list.pk)
    report = selectors.list_report(agency_list, viewer=request.user)
    return render(request, "linkage/list_report.html", {"list": agency_list, "report": report})


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def list_export(request, pk: int):
    import csv

    agency_list = _list(request, pk)
    if agency_list.status != ListStatus.DONE:
        raise Http404
    with _web(request):
        agency_list_export_audit(actor=request.user, agency_list=agency_list, rows=agency_list.rows_total)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(selectors.EXPORT_HEADERS)
        for row in selectors.list_export_rows(agency_list, viewer=request.user):
            yield writer.writerow([neutralise(c) if isinstance(c, str) else c for c in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hasil-pencocokan-{agency_list.pk}.csv"'
    return response
