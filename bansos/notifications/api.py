"""API of the notifications app: announcements (list, create, publish, reach) and the resident's inbox.

Operations look objects up, hand typed input to one service or selector and render the result; who may
address whom is ``notifications.access``'s, shared with the pages. The inbox answers residents only, and
only with their own account's and household's messages.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from ninja import Field, Query, Router, Schema

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import PermissionDeniedError
from bansos.notifications import selectors, services
from bansos.notifications.models import Announcement, AnnouncementStatus, TargetKind
from bansos.notifications.targets import GROUPS

router = Router(tags=["notifications"])

TargetKindEnum = Enum("TargetKindEnum", {k.upper(): k for k in TargetKind.values}, type=str)
AnnouncementStatusEnum = Enum("AnnouncementStatusEnum", {k.upper(): k for k in AnnouncementStatus.values}, type=str)
TargetGroupEnum = Enum("TargetGroupEnum", {k.upper(): k for k in GROUPS}, type=str)


class AnnouncementIn(Schema):
    title: str = Field(..., max_length=150)
    body: str = Field(..., max_length=5000)
    publish_at: dt.datetime | None = Field(None, description="When residents see it; default now")
    target_kind: TargetKindEnum
    rw: int | None = Field(None, description="RW number; required for target_kind=rw, optional for group and program")
    program_id: int | None = Field(None, description="Required for target_kind=program; otherwise what it is about")
    group: TargetGroupEnum | None = Field(None, description="Required for target_kind=group")
    send_sms: bool = Field(False, description="Also an SMS to every target household with a phone (admin only)")


class AnnouncementOut(Schema):
    id: int
    title: str
    body: str
    publish_at: dt.datetime
    target_kind: str
    rw: int | None
    program_id: int | None
    group: str
    send_sms: bool
    status: str
    recipients: int
    sms_queued: int
    published_at: dt.datetime | None
    public: bool


class ReachRowOut(Schema):
    rw: int
    households: int
    received: int
    opened: int
    sms_sent: int
    sms_logged: int
    sms_failed: int


class ReachOut(Schema):
    announcement_id: int
    rows: list[ReachRowOut]
    households: int
    received: int
    opened: int


class InboxMessageOut(Schema):
    id: int
    subject: str
    body: str
    topic: str
    sent_at: dt.datetime | None
    read_at: dt.datetime | None
    status: str


def _announcement_out(a: Announcement) -> dict:
    return {"id": a.pk, "title": a.title, "body": a.body, "publish_at": a.publish_at, "target_kind": a.target_kind,
            "rw": a.rw.number if a.rw_id else None, "program_id": a.program_id, "group": a.group,
            "send_sms": a.send_sms, "status": a.status, "recipients": a.recipients, "sms_queued": a.sms_queued,
            "published_at": a.published_at, "public": a.is_public}


def _message_out(m) -> dict:
    return {"id": m.pk, "subject": m.subject, "body": m.body, "topic": m.topic, "sent_at": m.sent_at,
            "read_at": m.read_at, "status": m.status}


def _role(user) -> None:
    if not has_role_perm(user, P.ANNOUNCEMENT_MANAGE):
        raise PermissionDeniedError()


def _resident(user) -> None:
    if user.role != Role.RESIDENT:
        raise PermissionDeniedError()


@router.get("/notifications/announcements", response={200: list[AnnouncementOut], **ERROR_RESPONSES},
            operation_id="notifications_announcement_list",
            summary="Announcements the caller may manage (admin: all; officer: its agency's programs; surveyor: its RW)")
def notifications_announcement_list(request, status: AnnouncementStatusEnum | None = Query(None),
                                    target_kind: TargetKindEnum | None = Query(None)):
    _role(request.auth)
    qs = selectors.announcement_list(user=request.auth, status=status.value if status else "",
                                     target_kind=target_kind.value if target_kind else "")
    return [_announcement_out(a) for a in qs[:500]]


@router.post("/notifications/announcements", response={201: AnnouncementOut, **ERROR_RESPONSES},
             operation_id="notifications_announcement_create", summary="Write a draft announcement")
def notifications_announcement_create(request, payload: AnnouncementIn):
    _role(request.auth)
    data = {"title": payload.title, "body": payload.body, "publish_at": payload.publish_at,
            "target_kind": payload.target_kind.value, "rw": None, "program": payload.program_id,
            "group": payload.group.value if payload.group else "", "send_sms": payload.send_sms}
    if payload.rw is not None:
        from bansos.core.models import RW

        data["rw"] = RW.objects.filter(number=payload.rw).first() or "?"  # unknown: the service names the field
    announcement = services.announcement_create(actor=request.auth, data=data)
    return Status(201, _announcement_out(announcement))


@router.post("/notifications/announcements/{int:announcement_id}/publish",
             response={200: AnnouncementOut, **ERROR_RESPONSES}, operation_id="notifications_announcement_publish",
             summary="Publish: one inbox message per target household (and SMS if chosen)")
def notifications_announcement_publish(request, announcement_id: int):
    _role(request.auth)
    announcement = selectors.announcement_get(user=request.auth, pk=announcement_id)
    return _announcement_out(services.announcement_publish(actor=request.auth, announcement=announcement))


@router.get("/notifications/announcements/{int:announcement_id}/reach", response={200: ReachOut, **ERROR_RESPONSES},
            operation_id="notifications_announcement_reach",
            summary="Per RW: active households, households that received it, households that opened it")
def notifications_announcement_reach(request, announcement_id: int):
    _role(request.auth)
    announcement = selectors.announcement_get(user=request.auth, pk=announcement_id)
    reach = selectors.announcement_reach(announcement=announcement)
    return {"announcement_id": announcement.pk, "households": reach["total"]["households"],
            "received": reach["total"]["received"], "opened": reach["total"]["opened"],
            "rows": [{"rw": r["rw"].number, "households": r["households"], "received": r["received"],
                      "opened": r["opened"], "sms_sent": r["sms"], "sms_logged": r["sms_logged"],
                      "sms_failed": r["sms_failed"]} for r in reach["rows"]]}


@router.get("/notifications/inbox", response={200: list[InboxMessageOut], **ERROR_RESPONSES},
            operation_id="notifications_inbox_list", summary="The signed-in resident's inbox, newest first")
def notifications_inbox_list(request, unread: bool = Query(False, description="Only messages not read yet")):
    _resident(request.auth)
    qs = selectors.inbox_list(user=request.auth)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return [_message_out(m) for m in qs[:200]]


@router.post("/notifications/inbox/{int:message_id}/read", response={200: InboxMessageOut, **ERROR_RESPONSES},
             operation_id="notifications_inbox_read", summary="Mark one of the resident's messages read")
def notifications_inbox_read(request, message_id: int):
    _resident(request.auth)
    message = selectors.inbox_get(user=request.auth, pk=message_id)
    return _message_out(services.message_read(actor=request.auth, message=message))
