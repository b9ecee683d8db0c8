"""Staff pages: hide and restore posts, lock threads, the moderation queue of abuse reports, and
residents' ratings of programs (per program summary)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.forums import selectors
from bansos.forums.access import can_see_program_feedback, require_moderate
from bansos.forums.forms import ReasonForm, ReviewForm
from bansos.forums.models import ReportStatus
from bansos.forums.services import moderation


def _flash(request, exc: DomainError) -> None:
    if exc.status in (403, 404):
        raise exc
    messages.error(request, exc.text)


def _hide(request, thread, reply=None):
    require_moderate(request.user, thread.forum)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if reply is None:
            ok, _x = form_attempt(form, lambda: moderation.thread_hide(actor=request.user, thread=thread,
                                                                       reason=reason))
        else:
            ok, _x = form_attempt(form, lambda: moderation.reply_hide(actor=request.user, reply=reply, reason=reason))
        if ok:
            messages.success(request, _t("Tulisan disembunyikan dari warga."))
            return redirect("forums:thread", pk=thread.pk)
    return render(request, "forums/hide.html", {"thread": thread, "target": reply or thread,
                                                "is_reply": reply is not None, "form": form},
                  status=400 if form.is_bound else 200)


@domain_page
@require_http_methods(["GET", "POST"])
def thread_hide(request, pk: int):
    return _hide(request, selectors.thread_get(user=request.user, pk=pk))


@domain_page
@require_http_methods(["GET", "POST"])
def reply_hide(request, pk: int):
    r = selectors.reply_get(user=request.user, pk=pk)
    return _hide(request, r.thread, r)


@domain_page
@require_POST
def thread_restore(request, pk: int):
    thread = selectors.thread_get(user=request.user, pk=pk)
    try:
        moderation.thread_restore(actor=request.user, thread=thread)
        messages.success(request, _t("Utas ditampilkan lagi."))
    except DomainError as exc:
        _flash(request, exc)
    return redirect("forums:thread", pk=thread.pk)


@domain_page
@require_POST
def reply_restore(request, pk: int):
    r = selectors.reply_get(user=request.user, pk=pk)
    try:
        moderation.reply_restore(actor=request.user, reply=r)
        messages.success(request, _t("Balasan ditampilkan lagi."))
    except DomainError as exc:
        _flash(request, exc)
    return redirect("forums:thread", pk=r.thread_id)


@domain_page
@require_POST
def thread_lock(request, pk: int):
    thread = selectors.thread_get(user=request.user, pk=pk)
    locked = request.POST.get("locked", "1") not in ("0", "false", "")
    try:
        moderation.thread_lock_set(actor=request.user, thread=thread, locked=locked)
        messages.success(request, _t("Utas dikunci: balasan baru tidak diterima.") if locked
                         else _t("Utas dibuka lagi untuk balasan."))
    except DomainError as exc:
        _flash(request, exc)
    return redirect("forums:thread", pk=thread.pk)


@perm_required(P.FORUM_MODERATE)
@domain_page
def moderation_queue(request):
    status = request.GET.get("status") or ReportStatus.OPEN
    if status not in ReportStatus.values:
        status = ReportStatus.OPEN
    reports = selectors.report_queue(user=request.user, status=status)
    for r in reports:
        r.author_label = selectors.author_label(r.reply.author if r.reply_id else r.thread.author)
        r.reporter_label = selectors.author_label(r.reporter)
    return render(request, "forums/moderation.html", {"reports": reports, "status": status,
                                                      "statuses": ReportStatus.choices})


@domain_page
@require_POST
def report_review(request, pk: int):
    report = selectors.report_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _t("Pilih tindakan: sembunyikan tulisan atau tolak laporan."))
    else:
        try:
            moderation.report_review(actor=request.user, report=report, decision=form.cleaned_data["decision"],
                                     note=form.cleaned_data["note"])
            messages.success(request, _t("Tulisan disembunyikan; laporan diterima.")
                             if form.cleaned_data["decision"] == "hide" else _t("Laporan ditolak."))
        except DomainError as exc:
            _flash(request, exc)
    return redirect("forums:moderation")


# --- Program feedback ----------------------------------------------------------------------------------


@perm_required(P.FORUM_MODERATE)
@domain_page
def feedback_overview(request):
    if request.user.role not in ("admin", "officer"):
        raise PermissionDeniedError()
    return render(request, "forums/feedback_overview.html", {"rows": selectors.feedback_overview(request.user)})


@perm_required(P.FORUM_MODERATE)
@domain_page
def program_feedback(request, pk: int):
    from bansos.programs.models import Program

    program = Program.objects.select_related("agency").filter(pk=pk).first()
    if program is None:
        raise NotFoundError()
    if not can_see_program_feedback(request.user, program):
        raise PermissionDeniedError()
    return render(request, "forums/program_feedback.html", {
        "program": program, "summary": selectors.program_feedback_summary(program)})
