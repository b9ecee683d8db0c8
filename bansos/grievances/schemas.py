"""Schemas of the grievances API (choices as enums, times ISO with offset)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from ninja import Field, Schema

from bansos.grievances.models import Category, Channel, EventKind, State, Track

CategoryEnum = Enum("GrievanceCategoryEnum", {v.upper(): v for v in Category.values}, type=str)
ChannelEnum = Enum("GrievanceChannelEnum", {v.upper(): v for v in Channel.values}, type=str)
StateEnum = Enum("GrievanceStateEnum", {v.upper(): v for v in State.values}, type=str)
TrackEnum = Enum("GrievanceTrackEnum", {v.upper(): v for v in Track.values}, type=str)
EventKindEnum = Enum("GrievanceEventKindEnum", {v.upper(): v for v in EventKind.values}, type=str)


class GrievanceEventOut(Schema):
    at: dt.datetime
    kind: EventKindEnum
    public: bool
    message: str


class GrievanceOut(Schema):
    id: int
    code: str
    category: CategoryEnum
    channel: ChannelEnum
    track: TrackEnum
    state: StateEnum
    subject: str
    description: str
    anonymous: bool
    complainant_name: str | None = Field(None, description="Hidden (null) for anonymous reports and for residents")
    complainant_phone: str | None = None
    program_id: int | None
    agency: str | None
    assignee: str | None
    rw: int | None
    received_at: dt.datetime
    first_response_due_at: dt.datetime
    resolution_due_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    appeal_count: int
    escalated: bool
    resolution: str


class GrievanceDetailOut(GrievanceOut):
    events: list[GrievanceEventOut]


class GrievanceIn(Schema):
    category: CategoryEnum
    subject: str = Field(..., max_length=150)
    description: str = Field(..., max_length=4000)
    channel: ChannelEnum | None = Field(None, description="Staff: office, phone or rtrw. Residents: ignored (portal)")
    anonymous: bool = False
    name: str = Field("", max_length=120)
    phone: str = Field("", max_length=20)
    program_id: int | None = None
    rw_id: int | None = None
    household_id: int | None = Field(None, description="Staff: the household the grievance is about")
    complainant_household_id: int | None = Field(None, description="Staff: the complainant's household")


class GrievanceMessageIn(Schema):
    message: str = Field(..., max_length=2000)


class GrievanceResolveIn(Schema):
    resolution: str = Field(..., max_length=2000)


class GrievanceAssignIn(Schema):
    agency_id: int | None = None
    assignee_id: int | None = None
    note: str = Field("", max_length=2000)


class GrievanceAppealIn(Schema):
    reason: str = Field(..., max_length=2000)


class DashboardRowOut(Schema):
    label: str
    total: int
    open: int
    overdue: int
    escalated: int
    resolved: int
    median_first_response_hours: float | None
    median_resolve_days: float | None


class GrievanceDashboardOut(Schema):
    total: DashboardRowOut
    categories: list[DashboardRowOut]
    agencies: list[DashboardRowOut]
