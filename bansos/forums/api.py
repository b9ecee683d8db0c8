"""API of the forums app: forums, threads, replies, abuse reports, moderation, residents' ratings.

Operations look objects up through the selectors (which refuse what the user may not read), hand the
input to one service, and render the result; the rules are the services' and ``forums.access``'s,
shared with the pages. Hidden posts appear only to the forum's moderators.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Router, Schema

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.forums import selectors
from bansos.forums.access import can_moderate, can_see_program_feedback
from bansos.forums.models import Reply, Report, Thread
from bansos.forums.services import feedback as feedback_services
from bansos.forums.services import moderation, posts

router = Router(tags=["forums"])


class ForumOut(Schema):
    id: int
    kind: str
    name: str
    rw: int | None
    program_id: int | None
    group: str
    threads: int
    moderator: bool


class ForumThreadIn(Schema):
    title: str = Field(..., max_length=300)
    body: str = Field(..., max_length=4000)


class ForumThreadOut(Schema):
    id: int
    forum_id: int
    title: str
    body: str
    author: str
    mine: bool
    official: bool
    locked: bool
    hidden: bool
    hidden_reason: str
    reply_count: int
    created_at: dt.datetime
    last_activity_at: dt.datetime


class ForumReplyIn(Schema):
    body: str = Field(..., max_length=4000)
    official: bool = False


class ForumReplyOut(Schema):
    id: int
    thread_id: int
    body: str
    author: str
    mine: bool
    official: bool
    hidden: bool
    hidden_reason: str
    created_at: dt.datetime


class ForumThreadDetailOut(ForumThreadOut):
    replies: list[ForumReplyOut]


class ForumReasonIn(Schema):
    reason: str = Field(..., max_length=600)


class ForumLockIn(Schema):
    locked: bool


class ForumReportOut(Schema):
    id: int
    thread_id: int
    reply_id: int | None
    reason: str
    status: str
    review_note: str
    created_at: dt.datetime
    reviewed_at: dt.datetime | None


class ForumReviewIn(Schema):
    decision: Literal["hide", "dismiss"]
    note: str = Field("", max_length=600)


class ForumRatingIn(Schema):
    rating: int = Field(..., description="1 to 5")
    comment: str = Field("", max_length=1000)


class ForumSessionRatingOut(Schema):
    id: int
    session_id: int
    rating: int
    comment: str


class ForumProgramRatingOut(Schema):
    id: int
    program_id: int
    rating: int
    comment: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ForumRatingCountOut(Schema):
    rating: int
    count: int
    pct: int


class ForumRatingCommentOut(Schema):
    rating: int
    comment: str
    updated_at: dt.datetime


class ForumProgramSummaryOut(Schema):
    program_id: int
    avg: float | None
    count: int
    distribution: list[ForumRatingCountOut]
    comments: list[ForumRatingCommentOut]


def _forum_user(user) -> None:
    if user.role == Role.RESIDENT:
        if not user.household_id:
            raise PermissionDeniedError()
    elif not has_role_perm(user, P.FORUM_MODERATE):
        raise PermissionDeniedError()


def _thread_out(user, t: Thread) -> dict:
    return {"id": t.pk, "forum_id": t.forum_id, "title": t.title, "body": t.body,
            "author": selectors.author_label(t.author), "mine": t.author_id == user.pk, "official": t.official,
            "locked": t.locked, "hidden": t.hidden, "hidden_reason": t.hidden_reason, "reply_count": t.reply_count,
            "created_at": t.created_at, "last_activity_at": t.last_activity_at}


def _reply_out(user, r: Reply) -> dict:
    return {"id": r.pk, "thread_id": r.thread_id, "body": r.body, "author": selectors.author_label(r.author),
            "mine": r.author_id == user.pk, "official": r.official, "hidden": r.hidden,
            "hidden_reason": r.hidden_reason, "created_at": r.created_at}


def _report_out(r: Report) -> dict:
    return {"id": r.pk, "thread_id": r.thread_id, "reply_id": r.reply_id, "reason": r.reason, "status": r.status,
            "review_note": r.review_note, "created_at": r.created_at, "reviewed_at": r.reviewed_at}


@router.get("/forums", response={200: list[ForumOut], **ERROR_RESPONSES}, operation_id="forums_forum_list",
            summary="The forums the user may read (a resident's) or moderates (staff)")
def forums_forum_list(request):
    user = request.auth
    _forum_user(user)
    if user.role == Role.RESIDENT:
        mine = selectors.resident_forums(user)
        forums = [f for f in [mine["rw"], *mine["programs"], *mine["groups"]] if f is not None]
    else:
        forums = selectors.moderated_forums(user)
    return [{"id": f.pk, "kind": f.kind, "name": str(f), "rw": f.rw.number if f.rw_id else None,
             "program_id": f.program_id, "group": f.group, "threads": f.stats["threads"],
             "moderator": can_moderate(user, f)} for f in forums]


@router.get("/forums/{int:forum_id}/threads", response={200: list[ForumThreadOut], **ERROR_RESPONSES},
            operation_id="forums_thread_list", summary="Threads of a forum, most recently active first")
def forums_thread_list(request, forum_id: int):
    user = request.auth
    _forum_user(user)
    forum = selectors.forum_get(user=user, pk=forum_id)
    return [_thread_out(user, t) for t in selectors.threads_of(user=user, forum=forum, limit=200)]


@router.post("/forums/{int:forum_id}/threads", response={201: ForumThreadOut, **ERROR_RESPONSES},
             operation_id="forums_thread_create", summary="Open a thread (title and text; no NIK/KK-like numbers)")
def forums_thread_create(request, forum_id: int, payload: ForumThreadIn):
    user = request.auth
    _forum_user(user)
    forum = selectors.forum_get(user=user, pk=forum_id)
    thread = posts.thread_create(actor=user, forum=forum, title=payload.title, body=payload.body)
    return Status(201, _thread_out(user, thread))


@router.get("/forums/threads/{int:thread_id}", response={200: ForumThreadDetailOut, **ERROR_RESPONSES},
            operation_id="forums_thread_read", summary="A thread with its replies (hidden ones for moderators only)")
def forums_thread_read(request, thread_id: int):
    user = request.auth
    _forum_user(user)
    thread = selectors.thread_get(user=user, pk=thread_id)
    return {**_thread_out(user, thread),
            "replies": [_reply_out(user, r) for r in selectors.replies_of(user=user, thread=thread)]}


@router.post("/forums/threads/{int:thread_id}/replies", response={201: ForumReplyOut, **ERROR_RESPONSES},
             operation_id="forums_reply_create", summary="Reply in an open thread; moderators may mark it official")
def forums_reply_create(request, thread_id: int, payload: ForumReplyIn):
    user = request.auth
    _forum_user(user)
    thread = selectors.thread_get(user=user, pk=thread_id)
    reply = posts.reply_create(actor=user, thread=thread, body=payload.body, official=payload.official)
    return Status(201, _reply_out(user, reply))


@router.post("/forums/threads/{int:thread_id}/reports", response={201: ForumReportOut, **ERROR_RESPONSES},
             operation_id="forums_thread_report", summary="Report a thread's opening post as abusive")
def forums_thread_report(request, thread_id: int, payload: ForumReasonIn):
    user = request.auth
    _forum_user(user)
    thread = selectors.thread_get(user=user, pk=thread_id)
    return Status(201, _report_out(moderation.report_create(actor=user, thread=thread, reason=payload.reason)))


@router.post("/forums/replies/{int:reply_id}/reports", response={201: ForumReportOut, **ERROR_RESPONSES},
             operation_id="forums_reply_report", summary="Report a reply as abusive")
def forums_reply_report(request, reply_id: int, payload: ForumReasonIn):
    user = request.auth
    _forum_user(user)
    reply = selectors.reply_get(user=user, pk=reply_id)
    report = moderation.report_create(actor=user, thread=reply.thread, reply=reply, reason=payload.reason)
    return Status(201, _report_out(report))


@router.post("/forums/threads/{int:thread_id}/hide", response={200: ForumThreadOut, **ERROR_RESPONSES},
             operation_id="forums_thread_hide", summary="Hide a thread from residents, with a reason (moderators)")
def forums_thread_hide(request, thread_id: int, payload: ForumReasonIn):
    user = request.auth
    _forum_user(user)
    thread = selectors.thread_get(user=user, pk=thread_id)
    return _thread_out(user, moderation.thread_hide(actor=user, thread=thread, reason=payload.reason))


@router.post("/forums/threads/{int:thread_id}/lock", response={200: ForumThreadOut, **ERROR_RESPONSES},
             operation_id="forums_thread_lock", summary="Lock a thread (no more replies) or open it again")
def forums_thread_lock(request, thread_id: int, payload: ForumLockIn):
    user = request.auth
    _forum_user(user)
    thread = selectors.thread_get(user=user, pk=thread_id)
    return _thread_out(user, moderation.thread_lock_set(actor=user, thread=thread, locked=payload.locked))


@router.post("/forums/replies/{int:reply_id}/hide", response={200: ForumReplyOut, **ERROR_RESPONSES},
             operation_id="forums_reply_hide", summary="Hide a reply from residents, with a reason (moderators)")
def forums_reply_hide(request, reply_id: int, payload: ForumReasonIn):
    user = request.auth
    _forum_user(user)
    reply = selectors.reply_get(user=user, pk=reply_id)
    return _reply_out(user, moderation.reply_hide(actor=user, reply=reply, reason=payload.reason))


@router.get("/forums/reports", response={200: list[ForumReportOut], **ERROR_RESPONSES},
            operation_id="forums_report_list", summary="Abuse reports in the forums the user moderates")
def forums_report_list(request, status: Literal["open", "upheld", "dismissed"] = "open"):
    user = request.auth
    if not has_role_perm(user, P.FORUM_MODERATE):
        raise PermissionDeniedError()
    return [_report_out(r) for r in selectors.report_queue(user=user, status=status)]


@router.post("/forums/reports/{int:report_id}/review", response={200: ForumReportOut, **ERROR_RESPONSES},
             operation_id="forums_report_review", summary="Review a report: hide the post or dismiss the report")
def forums_report_review(request, report_id: int, payload: ForumReviewIn):
    user = request.auth
    if not has_role_perm(user, P.FORUM_MODERATE):
        raise PermissionDeniedError()
    report = selectors.report_get(user=user, pk=report_id)
    return _report_out(moderation.report_review(actor=user, report=report, decision=payload.decision,
                                                note=payload.note))


@router.post("/forums/ratings/sessions/{int:session_id}", response={201: ForumSessionRatingOut, **ERROR_RESPONSES},
             operation_id="forums_session_rating_record",
             summary="A resident rates a training session he attended (recorded again: replaced)")
def forums_session_rating_record(request, session_id: int, payload: ForumRatingIn):
    from bansos.training.models import CourseSession

    user = request.auth
    if user.role != Role.RESIDENT:
        raise PermissionDeniedError()
    session = CourseSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFoundError()
    f = feedback_services.session_feedback_record(actor=user, session=session, rating=payload.rating,
                                                  comment=payload.comment)
    return Status(201, {"id": f.pk, "session_id": f.session_id, "rating": f.rating, "comment": f.comment})


@router.post("/forums/ratings/programs/{int:program_id}", response={201: ForumProgramRatingOut, **ERROR_RESPONSES},
             operation_id="forums_program_rating_record",
             summary="A resident rates a program his household takes part in (recorded again: edited)")
def forums_program_rating_record(request, program_id: int, payload: ForumRatingIn):
    from bansos.programs.models import Program

    user = request.auth
    if user.role != Role.RESIDENT:
        raise PermissionDeniedError()
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        raise NotFoundError()
    f = feedback_services.program_feedback_record(actor=user, program=program, rating=payload.rating,
                                                  comment=payload.comment)
    return Status(201, {"id": f.pk, "program_id": f.program_id, "rating": f.rating, "comment": f.comment,
                        "created_at": f.created_at, "updated_at": f.updated_at})


@router.get("/forums/ratings/programs/{int:program_id}", response={200: ForumProgramSummaryOut, **ERROR_RESPONSES},
            operation_id="forums_program_rating_summary",
            summary="Residents' ratings of a program: average, distribution, comments without names")
def forums_program_rating_summary(request, program_id: int):
    from bansos.programs.models import Program

    user = request.auth
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        raise NotFoundError()
    if not can_see_program_feedback(user, program):
        raise PermissionDeniedError()
    s = selectors.program_feedback_summary(program)
    return {"program_id": program.pk, **s}

