"""Reads of the forums app: the forums a user sees, threads and replies (hidden ones only for moderators),
the moderation queue, sessions awaiting a resident's rating, and per-program feedback summaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from bansos.accounts.models import Role
from bansos.core.errors import NotFoundError
from bansos.forums.access import (
    can_moderate, can_see_program_feedback, participating_program_ids, person_of, require_read, user_rw_id,
)
from bansos.forums.models import Forum, ForumGroup, ProgramFeedback, Reply, Report, ReportStatus, Thread
from bansos.forums.services.posts import forum_for_group, forum_for_program, forum_for_rw

RATING_WINDOW_DAYS = 60  # sessions older than this are not offered for rating any more


def _forums(qs):
    return qs.select_related("rw", "program", "program__agency")


def resident_forums(user) -> dict[str, Any]:
    """A resident's forums: the RW's, the programs' the household takes part in, the groups' the person is in.

    Forum rows are made on demand here (one per RW, program or group), so a new RW or program needs no setup.
    """
    from bansos.core.models import RW
    from bansos.forums.access import in_group
    from bansos.programs.models import Program

    rw_id = user_rw_id(user)
    rw_forum = forum_for_rw(rw=RW.objects.get(pk=rw_id)) if rw_id else None
    programs = Program.objects.filter(pk__in=participating_program_ids(user.household_id)).order_by("name")
    program_forums = [forum_for_program(program=p) for p in programs]
    person = person_of(user)
    group_forums = [forum_for_group(group=g) for g in ForumGroup.values if in_group(person, g)]
    ids = [f.pk for f in [rw_forum, *program_forums, *group_forums] if f is not None]
    stats = _forum_stats(ids, moderator=False)
    for f in [rw_forum, *program_forums, *group_forums]:
        if f is not None:
            f.stats = stats.get(f.pk, {"threads": 0, "last": None})
    return {"rw": rw_forum, "programs": program_forums, "groups": group_forums}


def moderated_forums(user) -> list[Forum]:
    """The forums a staff member moderates (made on demand: the RW's, the agency's programs', the groups')."""
    from bansos.core.models import RW
    from bansos.programs.models import Program, ProgramStatus

    forums: list[Forum] = []
    if user.role == Role.ADMIN:
        forums += [forum_for_rw(rw=rw) for rw in RW.objects.order_by("number")]
        programs = Program.objects.exclude(status=ProgramStatus.DRAFT).order_by("name")
        forums += [forum_for_program(program=p) for p in programs]
        forums += [forum_for_group(group=g) for g in ForumGroup.values]
    elif user.role == Role.OFFICER and user.agency_id:
        programs = Program.objects.filter(agency_id=user.agency_id).exclude(status=ProgramStatus.DRAFT).order_by("name")
        forums += [forum_for_program(program=p) for p in programs]
    elif user.role == Role.SURVEYOR and user_rw_id(user):
        forums.append(forum_for_rw(rw=RW.objects.get(pk=user_rw_id(user))))
    forums = [f for f in forums if can_moderate(user, f)]
    stats = _forum_stats([f.pk for f in forums], moderator=True)
    for f in forums:
        f.stats = stats.get(f.pk, {"threads": 0, "last": None, "reports": 0})
    return forums


def _forum_stats(ids: list[int], *, moderator: bool) -> dict[int, dict]:
    threads = Thread.objects.filter(forum_id__in=ids)
    if not moderator:
        threads = threads.filter(hidden_at__isnull=True)
    rows = threads.values("forum_id").annotate(n=Count("pk"), last=Max("last_activity_at")).order_by()
    out = {r["forum_id"]: {"threads": r["n"], "last": r["last"], "reports": 0} for r in rows}
    if moderator:
        for r in (Report.objects.filter(thread__forum_id__in=ids, status=ReportStatus.OPEN)
                  .values("thread__forum_id").annotate(n=Count("pk")).order_by()):
            out.setdefault(r["thread__forum_id"], {"threads": 0, "last": None, "reports": 0})["reports"] = r["n"]
    return out


def forum_get(*, user, pk: int) -> Forum:
    forum = _forums(Forum.objects).filter(pk=pk).first()
    if forum is None:
        raise NotFoundError()
    require_read(user, forum)
    return forum


def threads_of(*, user, forum: Forum, limit: int = 50):
    """The forum's threads, most recently active first (hidden ones for moderators only)."""
    qs = Thread.objects.filter(forum=forum).select_related("author", "author__household__rt__rw")
    if not can_moderate(user, forum):
        qs = qs.filter(hidden_at__isnull=True)
    else:
        qs = qs.annotate(open_reports=Count("reports", filter=Q(reports__status=ReportStatus.OPEN)))
    return list(qs.order_by("-last_activity_at", "-pk")[:limit])


def thread_get(*, user, pk: int) -> Thread:
    thread = Thread.objects.select_related("forum", "forum__rw", "forum__program", "forum__program__agency",
                                           "author", "author__household__rt__rw", "locked_by", "hidden_by") \
        .filter(pk=pk).first()
    if thread is None:
        raise NotFoundError()
    require_read(user, thread.forum)
    if thread.hidden and not can_moderate(user, thread.forum):
        raise NotFoundError()
    return thread


def reply_get(*, user, pk: int) -> Reply:
    reply = Reply.objects.select_related("thread", "author").filter(pk=pk).first()
    if reply is None:
        raise NotFoundError()
    thread = thread_get(user=user, pk=reply.thread_id)
    if reply.hidden and not can_moderate(user, thread.forum):
        raise NotFoundError()
    reply.thread = thread
    return reply


def replies_of(*, user, thread: Thread) -> list[Reply]:
    qs = Reply.objects.filter(thread=thread).select_related("author", "author__household__rt__rw", "hidden_by")
    if not can_moderate(user, thread.forum):
        qs = qs.filter(hidden_at__isnull=True)
    else:
        qs = qs.annotate(open_reports=Count("reports", filter=Q(reports__status=ReportStatus.OPEN)))
    return list(qs.order_by("created_at", "pk"))


def author_label(author) -> str:
    """How a post's author is shown: staff by name and role; residents by first name and RW only (privacy)."""
    if author.role != Role.RESIDENT:
        return f"{author.get_full_name() or author.username} · {author.get_role_display()}"
    first = (author.first_name or author.username).split(" ")[0]
    household = author.household
    if household is not None and household.rt_id:
        return f"{first} · RW {household.rt.rw.number:02d}"
    return first


def report_queue(*, user, status: str = ReportStatus.OPEN, limit: int = 100) -> list[Report]:
    """Reports in the forums the user moderates (open ones first in the moderation queue)."""
    forums = [f.pk for f in moderated_forums(user)]
    qs = (Report.objects.filter(thread__forum_id__in=forums, status=status)
          .select_related("thread", "thread__forum", "thread__forum__rw", "thread__forum__program", "reply",
                          "reply__author", "thread__author", "reporter", "reviewed_by"))
    return list(qs.order_by("created_at" if status == ReportStatus.OPEN else "-reviewed_at", "pk")[:limit])


def report_get(*, user, pk: int) -> Report:
    report = Report.objects.select_related("thread__forum__program", "thread__forum__rw", "reply").filter(pk=pk).first()
    if report is None or not can_moderate(user, report.thread.forum):
        raise NotFoundError()
    return report


def recent_threads_for_resident(user, limit: int = 5) -> list[Thread]:
    """The latest visible threads of the resident's forums (the portal's section)."""
    forums = resident_forums(user)
    ids = [f.pk for f in [forums["rw"], *forums["programs"], *forums["groups"]] if f is not None]
    return list(Thread.objects.filter(forum_id__in=ids, hidden_at__isnull=True)
                .select_related("forum", "forum__rw", "forum__program").order_by("-last_activity_at", "-pk")[:limit])


# --- Feedback -----------------------------------------------------------------------------------------


def sessions_to_rate(user, *, limit: int = 20) -> list:
    """Sessions the account's person attended in the last RATING_WINDOW_DAYS days and has not rated yet."""
    from bansos.training.models import Attendance, Feedback

    person = person_of(user)
    if person is None:
        return []
    since = timezone.localdate() - dt.timedelta(days=RATING_WINDOW_DAYS)
    rated = Feedback.objects.filter(participant=OuterRef("participant"), session=OuterRef("session"))
    rows = (Attendance.objects.filter(participant__resident=person, present=True, session__date__gte=since)
            .exclude(Exists(rated)).select_related("session", "session__course").order_by("-session__date")[:limit])
    return [r.session for r in rows]


def session_rating_get(user, session):
    from bansos.training.models import Feedback

    person = person_of(user)
    if person is None:
        return None
    return Feedback.objects.filter(participant__resident=person, session=session).first()


def programs_to_rate(user) -> list[dict]:
    """The programs the household takes part in, with the person's own rating when given."""
    from bansos.programs.models import Program

    person = person_of(user)
    programs = list(Program.objects.filter(pk__in=participating_program_ids(user.household_id))
                    .select_related("agency").order_by("name"))
    mine = {f.program_id: f for f in ProgramFeedback.objects.filter(resident=person)} if person else {}
    return [{"program": p, "feedback": mine.get(p.pk)} for p in programs]


def program_feedback_summary(program) -> dict[str, Any]:
    """Average, count, distribution of ratings 1-5 and the latest comments (no names) of one program."""
    items = ProgramFeedback.objects.filter(program=program)
    overall = items.aggregate(avg=Avg("rating"), n=Count("pk"))
    dist = dict(items.values_list("rating").annotate(n=Count("pk")).order_by())
    total = overall["n"] or 0
    distribution = [{"rating": r, "count": dist.get(r, 0), "pct": round(100 * dist.get(r, 0) / total) if total else 0}
                    for r in range(5, 0, -1)]
    comments = list(items.exclude(comment="").order_by("-updated_at", "-pk")
                    .values("rating", "comment", "updated_at")[:100])
    return {"avg": overall["avg"], "count": total, "distribution": distribution, "comments": comments}


def feedback_overview(user) -> list[dict]:
    """Per program the user may see: the number and average of residents' ratings."""
    from bansos.programs.models import Program, ProgramStatus

    programs = Program.objects.exclude(status=ProgramStatus.DRAFT).select_related("agency")
    if user.role != Role.ADMIN:
        programs = programs.filter(agency_id=user.agency_id or 0)
    programs = programs.annotate(n=Count("resident_feedback"), avg=Avg("resident_feedback__rating")).order_by("name")
    return [{"program": p, "count": p.n, "avg": p.avg} for p in programs if can_see_program_feedback(user, p)]
