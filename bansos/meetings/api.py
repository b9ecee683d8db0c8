"""Meetings API: the needs per RW (aggregates only) and the meetings a user manages.

Operations parse input, call one selector or service and render; scope and audit are the
services' business, shared with the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema


from bansos.accounts.permissions import P, require
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import ValidationFailed
from bansos.core.models import RW
from bansos.meetings import selectors, services

router = Router(tags=["meetings"])

MSG_RW_UNKNOWN = _("RW tidak ditemukan.")


class ParticipationOut(Schema):
    registered: int = Field(description="Attendees from the registry")
    others: int = Field(description="Attendees not in the registry")
    total: int
    women: int
    women_base: int = Field(description="Attendees whose sex is known (registry plus counted others)")
    women_share: float | None = Field(description="women / women_base, 4 decimals; null when no base")
    youth: int
    youth_base: int
    youth_share: float | None = Field(description="Youth (16-30 on the meeting date) / youth_base")


class CategoryOut(Schema):
    category: str
    label: str
    needs: int
    votes: int = Field(description="Show-of-hands votes plus per-attendee votes")
    latest_meeting: dt.date | None


class TopNeedOut(Schema):
    category: str
    description: str
    status: str
    votes: int
    meeting_date: dt.date


class NeedsAreaOut(Schema):
    rw: int | None = Field(description="RW number; null for the whole kelurahan")
    needs: int
    votes: int
    categories: list[CategoryOut]
    top_needs: list[TopNeedOut]
    meetings_held: int
    latest_meeting: dt.date | None
    participation: ParticipationOut


class MeetingOut(Schema):
    id: int
    date: dt.date
    rw: int | None = Field(description="RW number; null for a kelurahan-wide meeting")
    title: str
    agenda: str
    place: str
    minutes: str
    decisions: list[str]
    status: str
    needs: int
    participation: ParticipationOut
    manageable: bool = Field(description="Whether the caller may change this meeting")


class MeetingIn(Schema):
    date: dt.date
    rw: int | None = Field(None, ge=1, le=999, description="RW number; null for a kelurahan-wide meeting")
    title: str = Field(max_length=200)
    agenda: str = ""
    place: str = Field("", max_length=200)
    minutes: str = ""
    decisions: list[str] = []
    status: Literal["planned", "held"] = "planned"


def _area_out(column: dict[str, Any]) -> dict[str, Any]:
    return {
        "rw": column["rw"].number if column["rw"] is not None else None,
        "needs": column["needs"],
        "votes": column["votes"],
        "categories": [
            {"category": c["value"], "label": str(c["label"]), "needs": c["needs"], "votes": c["votes"],
             "latest_meeting": c["latest"]}
            for c in column["category_list"]
        ],
        "top_needs": [
            {"category": t["category"], "description": t["description"], "status": t["status"],
             "votes": t["total_votes"], "meeting_date": t["meeting__date"]}
            for t in column["top"]
        ],
        "meetings_held": column["meetings_held"],
        "latest_meeting": column["latest_meeting"],
        "participation": column["participation"].as_dict(),
    }


def _meeting_out(user, meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk, "date": meeting.date, "rw": meeting.rw.number if meeting.rw else None,
        "title": meeting.title, "agenda": meeting.agenda, "place": meeting.place, "minutes": meeting.minutes,
        "decisions": list(meeting.decisions), "status": meeting.status, "needs": meeting.n_needs,
        "participation": selectors.listed_participation(meeting).as_dict(),
        "manageable": services.meeting_manageable(user, meeting),
    }


@router.get("/needs", response={200: list[NeedsAreaOut], **ERROR_RESPONSES}, operation_id="needs_by_rw",
            summary="Needs raised at meetings, per RW and for the kelurahan (aggregates, no names)")
def needs_by_rw(request):
    """The kelurahan first (``rw`` null), then each RW; counts only, never a name or NIK."""
    require(request.auth, P.NEEDS_VIEW)
    overview = selectors.needs_overview()
    return [_area_out(overview["kelurahan"]), *(_area_out(c) for c in overview["columns"])]


@router.get("/meetings", response={200: list[MeetingOut], **ERROR_RESPONSES}, operation_id="meeting_list",
            summary="Meetings the caller manages or may read, newest first")
def meeting_list(request, rw: int | None = Query(None, ge=1, le=999, description="RW number"),
                 status: Literal["planned", "held", "cancelled"] | None = Query(None),
                 limit: int = Query(50, ge=1, le=200)):
    user = request.auth
    require(user, P.MEETING_MANAGE)
    qs = selectors.meeting_list(user=user, rw=rw, status=status or "")[:limit]
    return [_meeting_out(user, m) for m in qs]


@router.post("/meetings", response={201: MeetingOut, **ERROR_RESPONSES}, operation_id="meeting_create",
             summary="Record a meeting of an RW or of the whole kelurahan")
def meeting_create(request, payload: MeetingIn):
    user = request.auth
    require(user, P.MEETING_MANAGE)
    data = payload.dict()
    status = data.pop("status")
    if data["rw"] is not None:
        rw = RW.objects.filter(number=data["rw"]).first()
        if rw is None:
            raise ValidationFailed({"rw": [str(MSG_RW_UNKNOWN)]})
        data["rw"] = rw
    meeting = services.meeting_create(actor=user, data=data, status=status)
    return Status(201, _meeting_out(user, selectors.meeting_get(user=user, pk=meeting.pk)))
