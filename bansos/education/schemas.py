"""API schemas of the education app."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class SchoolIn(Schema):
    name: str
    level: str = Field(description="sd, smp, sma, smk or pkbm")
    is_private: bool = False
    npsn: str | None = Field(None, description="8 digits, when known")
    address: str = ""


class SchoolOut(Schema):
    id: int
    name: str
    level: str
    is_private: bool
    npsn: str | None
    address: str
    is_active: bool


class StudentIn(Schema):
    resident_id: int
    school_id: int
    grade: int
    school_year: str | None = Field(None, description="e.g. 2026/2027; the current one when left out")
    nisn: str = ""


class StudentOut(Schema):
    id: int
    resident_id: int
    name: str
    school_id: int
    grade: int
    school_year: str
    nisn: str
    status: str


class SchoolAttendanceIn(Schema):
    student_id: int
    month: str = Field(description="YYYY-MM")
    present_days: int
    school_days: int


class SchoolConditionOut(Schema):
    kind: str
    month: dt.date
    percent: int
    minimum: int
    program_id: int


class SchoolAttendanceOut(Schema):
    student_id: int
    month: dt.date
    present_days: int
    school_days: int
    percent: int
    events: list[SchoolConditionOut]


class SchoolImportRowOut(Schema):
    line: int
    identifier: str
    month: str
    ok: bool
    message: str


class SchoolImportOut(Schema):
    total: int
    stored: int
    rejected: int
    rows: list[SchoolImportRowOut]


class OutOfSchoolOut(Schema):
    resident_id: int
    name: str
    birth_date: dt.date
    household_id: int
    rw: int
    rt: int
    school_enrolment: str
    decile: int | None
    in_program: bool
