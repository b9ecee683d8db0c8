"""Payment pages of a cycle: payment batches and their files, result uploads and their problem lines,
failed payments (retry or cancel), and the cash hand-out desk at the kelurahan office.

Everything here needs ``require_cash`` on the cycle's program (an officer of the program's agency, or
the kelurahan admin); the selectors and services refuse, the views turn refusals into 403/404. A
refused action (nothing to send, an unreadable result file, no reason given) re-renders the cycle's
payments page with the message next to its form (422) and changes nothing.

Payment files and problem reports carry personal data out of the platform: each download is counted
and audited (``services.files``) once the file could be built.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bansos.accounts.permissions import P, has_perm
from bansos.cash import selectors_payments as selectors
from bansos.cash.files import payment_csv, payment_xlsx, problem_report_csv
from bansos.cash.forms_payments import (
    RETRY, FailedActionForm, HandoutCloseForm, HandoutSearchForm, ReceiptForm, ResultUploadForm,
)
from bansos.cash.models import Cycle, InstitutionKind, Payment, PaymentStatus
from bansos.cash.services import files as file_services
from bansos.cash.services import payments as payment_services
from bansos.cash.services import reconcile
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.forms import domain_page, form_attempt
from bansos.core.formats import mask_nik, rupiah

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEMS_PAGE_SIZE = 50

MSG_BATCH_CREATED = _("Berkas pembayaran %(number)s dibuat: %(lines)s penerima, %(amount)s. Unduh berkasnya di bawah.")
MSG_WITHOUT_ACCOUNT = _(
    "%(count)s penerima belum punya rekening di %(institution)s, jadi belum masuk berkas ini. Catat rekeningnya, "
    "lalu buat berkas berikutnya."
)
MSG_UPLOADED = _("Hasil dicocokkan: %(paid)s dibayar, %(failed)s gagal, %(unchanged)s tidak berubah, "
                 "%(problems)s baris bermasalah.")
MSG_RETRIED = _("%(count)s penerima akan dikirim ulang di berkas pembayaran berikutnya.")
MSG_CANCELLED = _("%(count)s penerima dibatalkan; dananya kembali ke anggaran program.")
MSG_NOT_CASH_OFFICE = _("Siklus ini dibayar melalui %(institution)s, bukan tunai di kantor kelurahan.")
MSG_NIK_HELP = _("NIK penerima bantuan: %(nik)s. Bila yang mengambil orang lain, isi NIK orang itu.")
MSG_CLOSED = _("%(count)s pembayaran yang tidak diambil ditandai gagal. Kirim ulang atau batalkan di halaman siklus.")


def _cycle_page(cycle: Cycle) -> str:
    """The cycle's page (written by the cycle pages) at its payments section, or this module's own page."""
    try:
        return reverse("cash:cycle_detail", args=[cycle.pk]) + "#pembayaran"
    except NoReverseMatch:
        return reverse("cash:payments", args=[cycle.pk])


def _cycle_detail_url(cycle: Cycle) -> str | None:
    try:
        return reverse("cash:cycle_detail", args=[cycle.pk])
    except NoReverseMatch:
        return None


def _payments_page(request, cycle: Cycle, *, status: int = 200, **extra):
    context = {"cycle": cycle, "cycle_url": _cycle_detail_url(cycle), **extra}
    return render(request, "cash/batch_list.html", context, status=status)


def _no_store(response):
    # Personal data: never kept by a shared browser cache or proxy.
    response["Cache-Control"] = "no-store, private"
    return response


# --- The payments section on a page of its own ---------------------------------------------------------


@domain_page
@require_GET
def cycle_payments(request, cycle_id: int):
    cycle = selectors.cycle_for_payments(user=request.user, cycle_id=cycle_id)
    return _payments_page(request, cycle)


# --- Batches and payment files ---------------------------------------------------------------------------


@domain_page
@require_POST
def batch_create(request, cycle_id: int):
    cycle = selectors.cycle_for_payments(user=request.user, cycle_id=cycle_id)
    try:
        result = payment_services.batch_create(actor=request.user, cycle=cycle)
    except (NotFoundError, PermissionDeniedError):
        raise
    except DomainError as exc:
        return _payments_page(request, cycle, status=422, batch_error=exc.text)
    batch = result.batch
    messages.success(request, MSG_BATCH_CREATED % {
        "number": batch.number, "lines": batch.line_count, "amount": rupiah(batch.total_amount)})
    if result.without_account:
        messages.warning(request, MSG_WITHOUT_ACCOUNT % {
            "count": result.without_account, "institution": batch.institution.name})
    return redirect(_cycle_page(cycle))


@domain_page
@require_GET
def batch_download(request, batch_id: int, file_format: str):
    """The batch's payment file in the institution's columns: CSV streamed, XLSX built in a temporary file."""
    batch = selectors.batch_for_download(user=request.user, batch_id=batch_id)
    institution = batch.institution
    name = selectors.payment_file_name(batch, file_format)
    lines = selectors.payment_file_lines(batch)
    handle = None
    try:
        if file_format == "csv":
            body = payment_csv(lines, institution.columns, delimiter=institution.csv_delimiter)
        else:
            handle = tempfile.TemporaryFile()
            payment_xlsx(lines, institution.columns, handle, sheet_title=batch.cycle.label)
            handle.seek(0)
        file_services.batch_download_record(actor=request.user, batch=batch, file_format=file_format)
    except (NotFoundError, PermissionDeniedError):
        if handle is not None:
            handle.close()
        raise
    except DomainError as exc:
        # A column configuration the writers refuse (edited by hand): say so instead of a half file.
        if handle is not None:
            handle.close()
        messages.error(request, exc.text)
        return redirect(_cycle_page(batch.cycle))
    if handle is not None:
        return _no_store(FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE))
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return _no_store(response)


# --- Result files -----------------------------------------------------------------------------------------


@domain_page
@require_POST
def result_upload(request, cycle_id: int):
    cycle = selectors.cycle_for_payments(user=request.user, cycle_id=cycle_id)
    form = ResultUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        ok, upload = form_attempt(form, lambda: reconcile.result_upload(
            actor=request.user, cycle=cycle, fileobj=upload_file, file_name=upload_file.name))
        if ok:
            messages.success(request, MSG_UPLOADED % {
                "paid": upload.paid_count, "failed": upload.failed_count, "unchanged": upload.unchanged_count,
                "problems": upload.problem_count})
            return redirect("cash:result_detail", upload_id=upload.pk)
    return _payments_page(request, cycle, status=422, upload_form=form)


@domain_page
@require_GET
def result_detail(request, upload_id: int):
    upload = selectors.upload_for_user(user=request.user, upload_id=upload_id)
    page = Paginator(selectors.upload_problems(upload), PROBLEMS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"upload": upload, "cycle": upload.cycle, "cycle_url": _cycle_page(upload.cycle),
               "failed_url": _cycle_page(upload.cycle).replace("#pembayaran", "") + "#gagal", "page": page,
               "query": ""}
    return _no_store(render(request, "cash/result_detail.html", context))


@domain_page
@require_GET
def result_problems_csv(request, upload_id: int):
    upload = selectors.upload_for_user(user=request.user, upload_id=upload_id)
    body = problem_report_csv(selectors.problem_report_lines(upload))
    file_services.problem_report_download_record(actor=request.user, upload=upload)
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"masalah-hasil-{upload.pk}.csv")
    return _no_store(response)


# --- Failed payments: retry or cancel ------------------------------------------------------------------------


@domain_page
@require_POST
def failed_action(request, cycle_id: int):
    cycle = selectors.cycle_for_payments(user=request.user, cycle_id=cycle_id)
    form = FailedActionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        if action == RETRY:
            ok, count = form_attempt(form, lambda: payment_services.entitlements_retry(
                actor=request.user, cycle=cycle, ids=form.selected()))
        else:
            # The service would also cancel entitlements not sent yet; this list is about failed ones only.
            ids = selectors.failed_ids(cycle, form.selected())
            ok, count = form_attempt(form, lambda: payment_services.entitlements_cancel(
                actor=request.user, cycle=cycle, reason=form.cleaned_data["reason"], ids=ids))
        if ok:
            messages.success(request, (MSG_RETRIED if action == RETRY else MSG_CANCELLED) % {"count": count})
            return redirect(_cycle_page(cycle))
    return _payments_page(request, cycle, status=422, failed_form=form)


# --- Cash hand-out at the kelurahan office ---------------------------------------------------------------------


def _handout_cycle(request, cycle_id: int) -> Cycle:
    cycle = selectors.cycle_for_payments(user=request.user, cycle_id=cycle_id)
    if cycle.institution.kind != InstitutionKind.CASH_OFFICE:
        raise Http404(MSG_NOT_CASH_OFFICE % {"institution": cycle.institution.name})
    return cycle


def _shown_nik(user, entitlement) -> str:
    if has_perm(user, P.NIK_FULL, entitlement.household):
        return entitlement.recipient_nik
    return mask_nik(entitlement.recipient_nik)


def _receipt_initial(user, payment: Payment) -> dict:
    entitlement = payment.entitlement
    initial = {"receiver_name": entitlement.recipient_name}
    # The full NIK only for those who may see it; the others type it from the identity card.
    if has_perm(user, P.NIK_FULL, entitlement.household):
        initial["receiver_nik"] = entitlement.recipient_nik
    return initial


def _handout_page(request, cycle: Cycle, *, q: str = "", chosen: Payment | None = None,
                  receipt_form: ReceiptForm | None = None, close_form: HandoutCloseForm | None = None,
                  status: int = 200):
    results, more = selectors.handout_search(cycle=cycle, text=q) if q else ([], False)
    if chosen is None and len(results) == 1 and results[0].status == PaymentStatus.SENT:
        chosen = results[0]
    if chosen is not None and chosen.status == PaymentStatus.SENT:
        if receipt_form is None:
            receipt_form = ReceiptForm(initial=_receipt_initial(request.user, chosen))
        receipt_form.fields["receiver_nik"].help_text = MSG_NIK_HELP % {
            "nik": _shown_nik(request.user, chosen.entitlement)}
    batches = selectors.handout_open_batches(cycle)
    context = {
        "cycle": cycle, "cycle_url": _cycle_page(cycle), "counts": selectors.handout_counts(cycle),
        "search_form": HandoutSearchForm(initial={"q": q}), "q": q, "searched": bool(q),
        "results": results, "more": more, "chosen": chosen, "receipt_form": receipt_form,
        "close_form": close_form or (HandoutCloseForm(batches=batches) if batches else None),
    }
    return _no_store(render(request, "cash/handout.html", context, status=status))


@domain_page
@require_GET
def handout(request, cycle_id: int):
    """Find a recipient by pickup code, NIK or name; the chosen one's receipt form."""
    cycle = _handout_cycle(request, cycle_id)
    search = HandoutSearchForm(request.GET)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    chosen = None
    chosen_id = request.GET.get("bayar", "")
    if chosen_id.isdigit():
        chosen = (Payment.objects.filter(pk=int(chosen_id), batch__cycle=cycle)
                  .select_related("entitlement__household", "receipt__handed_by").first())
    return _handout_page(request, cycle, q=q, chosen=chosen)


@domain_page
@require_POST
def receipt_record(request, payment_id: int):
    payment = selectors.payment_for_handout(user=request.user, payment_id=payment_id)
    cycle = _handout_cycle(request, payment.batch.cycle_id)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, _receipt = form_attempt(form, lambda: payment_services.receipt_record(
            actor=request.user, payment=payment, receiver_name=data["receiver_name"],
            receiver_nik=data["receiver_nik"], identity_document=data["identity_document"],
            identity_checked=data["identity_checked"], receiver_note=data["receiver_note"]))
        if ok:
            return redirect("cash:receipt_detail", payment_id=payment.pk)
    q = (request.POST.get("q") or "")[:100]
    return _handout_page(request, cycle, q=q, chosen=payment, receipt_form=form, status=422)


@domain_page
@require_POST
def handout_close(request, cycle_id: int):
    """End the hand-out of one batch: payments nobody collected become failed (then retry or cancel)."""
    cycle = _handout_cycle(request, cycle_id)
    batches = selectors.handout_open_batches(cycle)
    form = HandoutCloseForm(request.POST, batches=batches)
    if form.is_valid():
        batch = next(b for b in batches if b.pk == form.cleaned_data["batch"])
        ok, count = form_attempt(form, lambda: payment_services.cash_office_unclaimed(
            actor=request.user, batch=batch, reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, MSG_CLOSED % {"count": count})
            return redirect(_cycle_page(cycle))
    return _handout_page(request, cycle, close_form=form, status=422)


@domain_page
@require_http_methods(["GET"])
def receipt_detail(request, payment_id: int):
    """The receipt of cash handed out: who received it, identity checked, who handed it, when."""
    payment = selectors.payment_for_handout(user=request.user, payment_id=payment_id)
    receipt = getattr(payment, "receipt", None)
    if receipt is None:
        raise Http404
    cycle = payment.batch.cycle
    context = {"payment": payment, "receipt": receipt, "entitlement": payment.entitlement, "cycle": cycle,
               "household": payment.entitlement.household, "handout_url": reverse("cash:handout", args=[cycle.pk]),
               "cycle_url": _cycle_page(cycle)}
    return _no_store(render(request, "cash/receipt_detail.html", context))
