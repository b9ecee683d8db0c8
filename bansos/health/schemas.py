"""Shapes of the health API. Input schemas check types only; the rules and the plausibility checks are the
services' (the same answers as the pages). Measurements are decimals in kg and cm."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class SessionIn(Schema):
    posyandu_id: int
    date: dt.date
    place: str = ""
    notes: str = ""


class SessionOut(Schema):
    id: int
    posyandu_id: int
    posyandu: str
    month: dt.date
    date: dt.date
    place: str
    visits: int


class VisitIn(Schema):
    child_id: int
    visit_date: dt.date | None = Field(None, description="Defaults to the session's date")
    weight_kg: Decimal | None = None
    length_cm: Decimal | None = None
    position: str = Field("", description="lying or standing; required with length_cm")
    head_cm: Decimal | None = None
    muac_cm: Decimal | None = None
    oedema: bool = False
    immunizations: list[str] = Field(default_factory=list, description="Codes: HB0, BCG, POLIO1..4, DPT1..4, ...")
    vitamin_a: str = Field("", description="'', blue or red")
    notes: str = ""


class ZScores(Schema):
    waz: Decimal | None = Field(None, description="weight-for-age z (BB/U)")
    haz: Decimal | None = Field(None, description="length/height-for-age z (PB/U, TB/U)")
    whz: Decimal | None = Field(None, description="weight-for-length/height z (BB/PB, BB/TB)")
    baz: Decimal | None = Field(None, description="BMI-for-age z (IMT/U)")
    waz_class: str
    haz_class: str
    whz_class: str
    baz_class: str


class AlertOut(Schema):
    id: int
    kind: str
    label: str
    child_id: int
    visit_id: int
    raised_at: dt.datetime
    resolved: bool
    resolution: str


class VisitOut(Schema):
    id: int
    session_id: int
    child_id: int
    visit_date: dt.date
    age_days: int
    weight_kg: Decimal | None
    length_cm: Decimal | None
    position: str
    length_used_cm: Decimal | None
    head_cm: Decimal | None
    muac_cm: Decimal | None
    oedema: bool
    immunizations: list[str]
    vitamin_a: str
    z: ZScores
    alerts: list[AlertOut]


class GrowthOut(Schema):
    child_id: int
    name: str
    sex: str
    birth_date: dt.date
    visits: list[VisitOut]
    open_alerts: list[AlertOut]
