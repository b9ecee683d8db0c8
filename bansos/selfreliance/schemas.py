"""API schemas of the selfreliance app (names prefixed: OpenAPI components are shared by every app)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from ninja import Field, Schema

from bansos.selfreliance.models import GraduationState

GraduationStateEnum = Enum("GraduationStateEnum", {v.upper(): v for v in GraduationState.values}, type=str)


class IndexComponentOut(Schema):
    code: str
    label: str
    weight: int
    value: int | None = Field(None, description="0..100; null when hidden (child health data)")


class IndexMonthOut(Schema):
    month: dt.date
    score: int


class HouseholdIndexOut(Schema):
    household_id: int
    threshold: int
    months_required: int
    latest_month: dt.date | None
    latest_score: int | None
    components: list[IndexComponentOut]
    trajectory: list[IndexMonthOut]


class GraduationOut(Schema):
    id: int
    household_id: int
    kk_number: str
    month: dt.date
    score: int
    months_above: int
    state: str
    reason: str
    ended_enrollments: list[int]
    decided_at: dt.datetime | None


class GraduationConfirmIn(Schema):
    note: str = Field("", max_length=1000)


class GraduationDeclineIn(Schema):
    reason: str = Field(..., max_length=1000)


class ImpactGroupOut(Schema):
    n: int
    base_mean: float | None
    follow_mean: float | None
    change: float | None


class ImpactRwOut(Schema):
    rw: str
    n: int | None = Field(None, description="null when fewer than 5 (suppressed)")
    change: float | None


class ImpactOut(Schema):
    program_id: int
    baseline: dt.date
    followup: dt.date
    label: str
    suppressed: bool
    did: float | None
    ci_low: float | None
    ci_high: float | None
    participants: ImpactGroupOut | None
    comparison: ImpactGroupOut | None
    cells: int
    unmatched: int
    by_rw: list[ImpactRwOut]


class IndexRunIn(Schema):
    first_month: str = Field(..., description="YYYY-MM", max_length=7)
    last_month: str = Field(..., description="YYYY-MM", max_length=7)


class IndexRunOut(Schema):
    id: int
    status: str
    first_month: dt.date
    last_month: dt.date
    months_done: int
    households: int
    proposals: int
