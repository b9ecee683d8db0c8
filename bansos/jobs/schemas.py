"""Shapes of the jobs API. Input schemas check types only; the services hold the rules. Money is integer Rupiah."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from ninja import Field, Schema

from bansos.jobs.models import ReferralStatus, VacancyStatus
from bansos.training.models import SkillArea

# Own names for the OpenAPI components: the programs app has a ReferralStatus and a ReferralOut too,
# and ninja keeps one component per class name (tests/fuzz/test_schema_names.py).
JobReferralStatus = Enum("JobReferralStatus", {v.upper(): v for v in ReferralStatus.values}, type=str)


class VacancyIn(Schema):
    company: int | None = Field(None, description="Agency id of the company (the admin only; officers post for their own)")
    position: str = Field(..., max_length=150)
    description: str = ""
    skill_areas: list[SkillArea] = Field(..., min_length=1)
    openings: int = Field(..., ge=1)
    wage_min: int = Field(..., ge=1, description="Rupiah per month")
    wage_max: int = Field(..., ge=1, description="Rupiah per month")
    location: str = Field("", max_length=150)
    min_age: int = Field(18, ge=15, le=65)
    max_age: int = Field(55, ge=15, le=65)
    women_only: bool = False
    closing_date: dt.date


class VacancyPatch(Schema):
    position: str | None = Field(None, max_length=150)
    description: str | None = None
    skill_areas: list[SkillArea] | None = None
    openings: int | None = Field(None, ge=1)
    wage_min: int | None = Field(None, ge=1)
    wage_max: int | None = Field(None, ge=1)
    location: str | None = Field(None, max_length=150)
    min_age: int | None = Field(None, ge=15, le=65)
    max_age: int | None = Field(None, ge=15, le=65)
    women_only: bool | None = None
    closing_date: dt.date | None = None
    reason: str = ""


class VacancyCloseIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class VacancyOut(Schema):
    id: int
    company_id: int
    company: str
    position: str
    description: str
    skill_areas: list[str]
    openings: int
    hired: int
    referred: int
    wage_min: int
    wage_max: int
    location: str
    min_age: int
    max_age: int
    women_only: bool
    closing_date: dt.date
    status: VacancyStatus
    accepting: bool


class CourseReasonOut(Schema):
    title: str
    skill: str
    completed: dt.date | None
    score: int | None
    certificate: str


class CandidateOut(Schema):
    resident_id: int
    household_id: int
    name: str
    sex: str
    age: int
    rw: int | None
    courses: list[CourseReasonOut]
    reasons: list[str]
    decile: int | None
    already_referred: bool
    referral_status: JobReferralStatus | None


class JobReferralIn(Schema):
    vacancy: int
    resident: int
    note: str = Field("", max_length=2000)


class OutcomeIn(Schema):
    status: Literal["interviewed", "hired", "not_hired", "withdrawn"]
    wage: int | None = Field(None, ge=1, description="Rupiah per month; required when hired")
    start_date: dt.date | None = Field(None, description="Required when hired")
    note: str = Field("", max_length=2000)


class JobReferralOut(Schema):
    id: int
    vacancy_id: int
    position: str
    company: str
    status: JobReferralStatus
    name: str
    sex: str
    age: int | None
    rw: int
    courses: list[str]
    reasons: list[str]
    note: str
    wage: int | None
    start_date: dt.date | None
    outcome_note: str
    referring_agency: str
    referred_at: dt.datetime
    household_id: int | None = Field(None, description="Only for the admin and the referring agency")
