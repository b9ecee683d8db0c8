"""Moderation: hide a thread or a reply with a reason, lock a thread; abuse reports and their review."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, raise_if_errors
from bansos.forums import content
from bansos.forums.access import require_moderate, require_read
from bansos.forums.models import Reply, Report, ReportStatus, Thread
from bansos.forums.services.posts import lock_thread

MSG_ALREADY_HIDDEN = _("Tulisan ini sudah disembunyikan.")
MSG_NOT_HIDDEN = _("Tulisan ini tidak sedang disembunyikan.")
MSG_ALREADY_REPORTED = _("Anda sudah melaporkan tulisan ini; moderator sedang meninjaunya.")
MSG_OWN_POST = _("Tulisan Anda sendiri tidak dapat dilaporkan.")
MSG_REPORT_CLOSED = _("Laporan ini sudah ditinjau.")
MSG_DECISION = _("Pilih tindakan: sembunyikan tulisan atau tolak laporan.")
MSG_REPLY_THREAD = _("Balasan ini bukan bagian dari utas tersebut.")


def _reason(value, field: str = "reason", *, required: bool = True) -> str:
    errors = Errors()
    text = content.clean_text(errors, field, value, low=content.REASON_MIN, high=content.REASON_MAX,
                              required=required, phones=False)
    raise_if_errors(errors)
    return text


def _notify_author(*, actor, author, title: str, reason: str, thread: Thread) -> None:
    if author.pk == actor.pk or author.role != Role.RESIDENT:
        return
    from bansos.notifications.services import notify

    notify(topic="forum.hidden", user=author, actor=actor, reference=f"forums.thread:{thread.pk}",
           subject=str(_("Tulisan Anda di forum disembunyikan moderator")),
           body=str(_("Tulisan Anda di utas \"%(title)s\" disembunyikan. Alasan: %(reason)s") % {
               "title": title, "reason": reason}))


def _close_reports(*, actor, reports, status: str, note: str) -> int:
    return reports.filter(status=ReportStatus.OPEN).update(status=status, reviewed_by=actor, reviewed_at=timezone.now(),
                                                           review_note=note[:300])


@transaction.atomic
def thread_hide(*, actor, thread: Thread, reason) -> Thread:
    """Hide a thread (and so its replies) from residents; open reports on its opening post are upheld."""
    thread = lock_thread(thread)
    require_moderate(actor, thread.forum)
    reason = _reason(reason)
    if thread.hidden:
        raise DomainError("already_hidden", MSG_ALREADY_HIDDEN)
    thread.hidden_at, thread.hidden_by, thread.hidden_reason = timezone.now(), actor, reason
    thread.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _close_reports(actor=actor, reports=thread.reports.filter(reply__isnull=True), status=ReportStatus.UPHELD,
                   note=reason)
    audit_log(actor=actor, action="forums.thread.hide", obj=thread, changes={"hidden": [False, True]}, reason=reason)
    _notify_author(actor=actor, author=thread.author, title=thread.title, reason=reason, thread=thread)
    return thread


@transaction.atomic
def thread_restore(*, actor, thread: Thread) -> Thread:
    """Show a hidden thread again (a moderator's mistake corrected)."""
    thread = lock_thread(thread)
    require_moderate(actor, thread.forum)
    if not thread.hidden:
        raise DomainError("not_hidden", MSG_NOT_HIDDEN)
    before = thread.hidden_reason
    thread.hidden_at, thread.hidden_by, thread.hidden_reason = None, None, ""
    thread.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_log(actor=actor, action="forums.thread.restore", obj=thread, changes={"hidden": [True, False]},
              reason=before)
    return thread


@transaction.atomic
def thread_lock_set(*, actor, thread: Thread, locked: bool) -> Thread:
    """Lock a thread (no more replies) or open it again; the same request twice changes nothing."""
    thread = lock_thread(thread)
    require_moderate(actor, thread.forum)
    locked = bool(locked)
    if thread.locked == locked:
        return thread
    thread.locked_at, thread.locked_by = (timezone.now(), actor) if locked else (None, None)
    thread.save(update_fields=["locked_at", "locked_by"])
    audit_log(actor=actor, action="forums.thread.lock" if locked else "forums.thread.unlock", obj=thread,
              changes={"locked": [not locked, locked]})
    return thread


@transaction.atomic
def reply_hide(*, actor, reply: Reply, reason) -> Reply:
    """Hide a reply from residents (it stays on record for the moderators); its open reports are upheld."""
    thread = lock_thread(reply.thread)
    require_moderate(actor, thread.forum)
    reason = _reason(reason)
    reply = Reply.objects.select_related("author").get(pk=reply.pk)
    if reply.hidden:
        raise DomainError("already_hidden", MSG_ALREADY_HIDDEN)
    reply.hidden_at, reply.hidden_by, reply.hidden_reason = timezone.now(), actor, reason
    reply.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Thread.objects.filter(pk=thread.pk, reply_count__gt=0).update(reply_count=F("reply_count") - 1)
    _close_reports(actor=actor, reports=reply.reports.all(), status=ReportStatus.UPHELD, note=reason)
    audit_log(actor=actor, action="forums.reply.hide", obj=thread,
              changes={"reply": reply.pk, "hidden": [False, True]}, reason=reason)
    _notify_author(actor=actor, author=reply.author, title=thread.title, reason=reason, thread=thread)
    return reply


@transaction.atomic
def reply_restore(*, actor, reply: Reply) -> Reply:
    thread = lock_thread(reply.thread)
    require_moderate(actor, thread.forum)
    reply = Reply.objects.get(pk=reply.pk)
    if not reply.hidden:
        raise DomainError("not_hidden", MSG_NOT_HIDDEN)
    before = reply.hidden_reason
    reply.hidden_at, reply.hidden_by, reply.hidden_reason = None, None, ""
    reply.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1)
    audit_log(actor=actor, action="forums.reply.restore", obj=thread, changes={"reply": reply.pk,
                                                                               "hidden": [True, False]}, reason=before)
    return reply


# --- Abuse reports -------------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, actor, thread: Thread, reply: Reply | None = None, reason) -> Report:
    """Report a thread's opening post or one of its replies as abusive, with a reason, to the moderators."""
    thread = Thread.objects.select_related("forum", "forum__program").get(pk=thread.pk)
    require_read(actor, thread.forum)
    if reply is not None and reply.thread_id != thread.pk:
        raise DomainError("reply_thread", MSG_REPLY_THREAD, field="reply")
    target = reply or thread
    if target.hidden or thread.hidden:
        raise DomainError("already_hidden", MSG_ALREADY_HIDDEN)
    if target.author_id == actor.pk:
        raise DomainError("own_post", MSG_OWN_POST)
    reason = _reason(reason)
    try:
        with transaction.atomic():
            report = Report.objects.create(thread=thread, reply=reply, reporter=actor, reason=reason)
    except IntegrityError:
        raise DomainError("already_reported", MSG_ALREADY_REPORTED) from None
    audit_log(actor=actor, action="forums.report.create", obj=thread,
              changes={"reply": reply.pk if reply else None, "report": [None, report.pk]}, reason=reason)
    return report


@transaction.atomic
def report_review(*, actor, report: Report, decision: str, note="") -> Report:
    """Review an open report: ``hide`` the post (the note is the reason shown to its author) or ``dismiss``."""
    report = Report.objects.select_for_update(of=("self",)).select_related("thread__forum__program", "reply") \
        .get(pk=report.pk)
    require_moderate(actor, report.thread.forum)
    if report.status != ReportStatus.OPEN:
        raise DomainError("report_closed", MSG_REPORT_CLOSED)
    if decision == "hide":
        reason = _reason(note or report.reason, "note")
        target_hidden = report.reply.hidden if report.reply else report.thread.hidden
        if not target_hidden:
            if report.reply is not None:
                reply_hide(actor=actor, reply=report.reply, reason=reason)
            else:
                thread_hide(actor=actor, thread=report.thread, reason=reason)
        # The hide upheld every open report on the post; this one too (or now, when already hidden).
        _close_reports(actor=actor, reports=Report.objects.filter(pk=report.pk), status=ReportStatus.UPHELD,
                       note=reason)
    elif decision == "dismiss":
        note = _reason(note, "note", required=False)
        _close_reports(actor=actor, reports=Report.objects.filter(pk=report.pk), status=ReportStatus.DISMISSED,
                       note=note)
    else:
        raise DomainError("decision_invalid", MSG_DECISION, field="decision")
    report.refresh_from_db()
    audit_log(actor=actor, action="forums.report.review", obj=report.thread,
              changes={"report": report.pk, "status": [ReportStatus.OPEN, report.status]}, reason=report.review_note)
    return report
