"""Schemas of the training API (choice fields as enums, dates ISO, no personal data beyond names)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

from ninja import Field, Schema
from pydantic import WithJsonSchema

from bansos.training.models import CourseStatus, Outcome, ParticipantState, SkillArea

SkillAreaEnum = Enum("SkillAreaEnum", {v.upper(): v for v in SkillArea.values}, type=str)
CourseStatusEnum = Enum("CourseStatusEnum", {v.upper(): v for v in CourseStatus.values}, type=str)
OutcomeEnum = Enum("OutcomeEnum", {v.upper(): v for v in Outcome.values}, type=str)
ParticipantStateEnum = Enum("ParticipantStateEnum", {v.upper(): v for v in ParticipantState.values}, type=str)
# A wall-clock time in Jakarta without an offset ("09:00:00"). JSON Schema's "time" format is RFC 3339's
# full-time, which requires an offset, so the documented shape is a pattern instead.
LocalTime = Annotated[dt.time, WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
                                                "description": "Local time in Jakarta (WIB), HH:MM:SS"})]


class CourseOut(Schema):
    id: int
    title: str
    skill_area: SkillAreaEnum
    program_id: int
    program: str
    agency: str
    partner: str | None
    status: CourseStatusEnum
    women_only: bool
    youth_only: bool
    capacity: int
    min_attendance_pct: int
    pass_score: int | None
    participants_active: int
    participants_dropped: int
    sessions: int
    finished_at: dt.datetime | None


class CourseSessionOut(Schema):
    """One session of a course; not health's posyandu SessionOut (one OpenAPI component per name)."""

    id: int
    number: int
    date: dt.date
    start_time: LocalTime | None
    place: str
    trainer: str
    topic: str
    attendance_taken: bool
    present: int


class ParticipantOut(Schema):
    id: int
    resident_id: int
    household_id: int
    name: str
    state: ParticipantStateEnum
    dropped_reason: str
    attended: int
    sessions: int
    attendance_pct: int
    assessment_score: int | None
    outcome: OutcomeEnum = Field(description="Frozen when the course is finished; until then by the rule so far")
    outcome_frozen: bool
    reasons: list[str]
    certificate_id: int | None
    certificate_code: str | None


class CourseDetailOut(CourseOut):
    session_list: list[CourseSessionOut]
    participant_list: list[ParticipantOut]


class CourseAttendanceIn(Schema):
    participant_id: int
    present: bool


class CourseAttendanceOut(Schema):
    session_id: int
    participant_id: int
    present: bool
    present_count: int
    absent_count: int
    total: int


class TrainingReasonIn(Schema):
    reason: str = Field(..., max_length=200)


class CertificateOut(Schema):
    id: int
    participant_id: int
    code: str
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    revoked_reason: str
    verify_url: str


class VerifyOut(Schema):
    status: str = Field(description="genuine, revoked or invalid")
    initials: str | None = None
    course: str | None = None
    completed_on: dt.date | None = None
    revoked_on: dt.date | None = None


class FeedbackIn(Schema):
    rating: int = Field(..., description="1 to 5")
    comment: str = Field("", max_length=1000)
    session_id: int | None = None


class FeedbackOut(Schema):
    id: int
    participant_id: int
    session_id: int | None
    rating: int
    comment: str


class TrainerRatingOut(Schema):
    trainer: str
    average: float
    count: int


class FeedbackSummaryOut(Schema):
    average: float | None
    count: int
    trainers: list[TrainerRatingOut]
    comments: list[FeedbackOut]
