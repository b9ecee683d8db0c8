"""Forums (made on demand), threads and replies."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, PermissionDeniedError, raise_if_errors
from bansos.forums import content
from bansos.forums.access import can_moderate, can_post, require_read
from bansos.forums.models import Forum, ForumGroup, ForumKind, Reply, Thread

# A resident may write this many threads and replies together within the window (moderators: no limit).
# Counted in the database, so it holds across app servers; the user's row is locked while counting.
RATE_WINDOW = dt.timedelta(minutes=10)
RATE_MAX = 8

MSG_RATE = _("Anda sudah menulis %(n)s kali dalam %(minutes)s menit terakhir. Tunggu sebentar lalu coba lagi.")
MSG_LOCKED = _("Utas ini dikunci moderator; balasan baru tidak diterima.")
MSG_THREAD_HIDDEN = _("Utas ini disembunyikan moderator.")
MSG_OFFICIAL = _("Hanya moderator forum ini yang dapat memberi jawaban resmi.")
MSG_NO_POST = _("Anda tidak dapat menulis di forum ini.")


# --- Forums --------------------------------------------------------------------------------------------


def forum_for_rw(*, rw) -> Forum:
    """The RW's forum, made the first time anyone needs it (a race makes one row: the unique constraint)."""
    return Forum.objects.get_or_create(kind=ForumKind.RW, rw=rw)[0]


def forum_for_program(*, program) -> Forum:
    return Forum.objects.get_or_create(kind=ForumKind.PROGRAM, program=program)[0]


def forum_for_group(*, group: str) -> Forum:
    if group not in ForumGroup.values:
        raise DomainError("group_unknown", _("Kelompok tidak dikenal."), field="group")
    return Forum.objects.get_or_create(kind=ForumKind.GROUP, group=group)[0]


# --- Posting -------------------------------------------------------------------------------------------


def _check_rate(actor, forum: Forum) -> None:
    """Refuse a resident's post beyond RATE_MAX within RATE_WINDOW (a flood of posts buries the forum)."""
    if actor.role != Role.RESIDENT:
        return
    from bansos.accounts.models import User

    # Lock the author's row so two posts sent at once are counted one after the other.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    since = timezone.now() - RATE_WINDOW
    n = (Thread.objects.filter(author=actor, created_at__gte=since).count()
         + Reply.objects.filter(author=actor, created_at__gte=since).count())
    if n >= RATE_MAX:
        raise DomainError("rate_limited", MSG_RATE, n=n, minutes=int(RATE_WINDOW.total_seconds() // 60))


def _require_post(actor, forum: Forum) -> None:
    require_read(actor, forum)
    if not can_post(actor, forum):
        raise PermissionDeniedError(MSG_NO_POST)


@transaction.atomic
def thread_create(*, actor, forum: Forum, title, body) -> Thread:
    """Open a thread in a forum the actor may write in; a moderator's thread is marked official."""
    _require_post(actor, forum)
    staff = actor.role != Role.RESIDENT
    errors = Errors()
    title = content.clean_text(errors, "title", title, low=content.TITLE_MIN, high=content.TITLE_MAX,
                               phones=not staff)
    body = content.clean_text(errors, "body", body, low=content.BODY_MIN, high=content.BODY_MAX, phones=not staff)
    raise_if_errors(errors)
    _check_rate(actor, forum)
    now = timezone.now()
    thread = Thread.objects.create(forum=forum, author=actor, title=title, body=body, official=can_moderate(actor, forum),
                                   last_activity_at=now)
    audit_log(actor=actor, action="forums.thread.create", obj=thread,
              changes={"forum": [None, str(forum)], "title": [None, title]})
    return thread


def lock_thread(thread: Thread) -> Thread:
    """The thread row, locked: replies, hiding and locking of one thread go one after the other."""
    return Thread.objects.select_for_update(of=("self",)).select_related("forum", "forum__program", "author") \
        .get(pk=thread.pk)


@transaction.atomic
def reply_create(*, actor, thread: Thread, body, official: bool = False) -> Reply:
    """Reply in an open thread; ``official`` (an answer on behalf of the program or kelurahan) for moderators."""
    thread = lock_thread(thread)
    forum = thread.forum
    _require_post(actor, forum)
    moderator = can_moderate(actor, forum)
    if thread.hidden and not moderator:
        raise DomainError("thread_hidden", MSG_THREAD_HIDDEN)
    if thread.locked:
        raise DomainError("thread_locked", MSG_LOCKED)
    if official and not moderator:
        raise DomainError("official_not_moderator", MSG_OFFICIAL, field="official")
    errors = Errors()
    body = content.clean_text(errors, "body", body, low=content.REPLY_MIN, high=content.REPLY_MAX,
                              phones=actor.role == Role.RESIDENT)
    raise_if_errors(errors)
    _check_rate(actor, forum)
    reply = Reply.objects.create(thread=thread, author=actor, body=body, official=bool(official))
    Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1, last_activity_at=reply.created_at)
    audit_log(actor=actor, action="forums.reply.create", obj=thread,
              changes={"reply": [None, reply.pk], "official": [None, reply.official]})
    if reply.official and thread.author_id != actor.pk and thread.author.role == Role.RESIDENT:
        from bansos.notifications.services import notify

        notify(topic="forum.official_answer", user=thread.author, actor=actor, reference=f"forums.thread:{thread.pk}",
               subject=str(_("Pertanyaan Anda di forum dijawab petugas")),
               body=str(_("Utas \"%(title)s\" di %(forum)s mendapat jawaban resmi.") % {
                   "title": thread.title, "forum": forum}))
    return reply
