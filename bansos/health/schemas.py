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


# -- maternal care, health education, referrals --------------------------------------------------------------

class PregnancyIn(Schema):
    mother_id: int
    lmp: dt.date = Field(description="First day of the last menstrual period (HPHT)")
    edd: dt.date | None = Field(None, description="Expected delivery date; omitted: LMP + 280 days (Naegele)")
    edd_reason: str = Field("", description="Required when edd differs from Naegele (e.g. ultrasound)")
    gravida: int | None = None
    para: int | None = None


class AntenatalIn(Schema):
    visit_date: dt.date | None = Field(None, description="Defaults to today")
    place: str = Field("posyandu", description="posyandu, puskesmas, bidan or hospital")
    weight_kg: Decimal | None = None
    systolic: int | None = None
    diastolic: int | None = None
    muac_cm: Decimal | None = None
    hb_g_dl: Decimal | None = None
    notes: str = ""


class AntenatalOut(Schema):
    id: int
    visit_date: dt.date
    gestational_days: int
    week: int
    place: str
    weight_kg: Decimal | None
    systolic: int | None
    diastolic: int | None
    muac_cm: Decimal | None
    hb_g_dl: Decimal | None
    kek: bool = Field(description="MUAC < 23.5 cm (chronic energy deficiency)")
    high_bp: bool = Field(description=">= 140 systolic or >= 90 diastolic")
    anaemia: bool = Field(description="Hb < 11 g/dL")


class DeliveryIn(Schema):
    date: dt.date
    place: str
    attendant: str
    outcome: str = Field(description="live or stillbirth")
    birth_weight_g: int | None = None
    baby_id: int | None = Field(None, description="The baby as a resident of the registry, if registered")
    notes: str = ""


class DeliveryOut(Schema):
    date: dt.date
    gestational_days: int
    place: str
    attendant: str
    outcome: str
    birth_weight_g: int | None
    baby_id: int | None


class PostnatalIn(Schema):
    visit_date: dt.date | None = None
    place: str = "home"
    mother_notes: str = ""
    baby_notes: str = ""


class PostnatalOut(Schema):
    id: int
    visit_date: dt.date
    days_after: int
    place: str
    mother_notes: str
    baby_notes: str


class PregnancyEndIn(Schema):
    status: str = Field(description="miscarriage, abortion, ended_other or moved")
    date: dt.date
    reason: str


class PregnancyOut(Schema):
    id: int
    mother_id: int
    name: str
    lmp: dt.date
    edd: dt.date
    gravida: int | None
    para: int | None
    status: str
    ended_on: dt.date | None
    gestational_days: int
    flags: list[str] = Field(description="kek, high_bp, anaemia, young, old, visits")
    next_visit_due: dt.date
    visits: list[AntenatalOut]
    delivery: DeliveryOut | None
    postnatal: list[PostnatalOut]


class EducationSessionIn(Schema):
    posyandu_id: int
    topic: str
    title: str = ""
    date: dt.date
    place: str = ""
    facilitator: str
    notes: str = ""


class EducationSessionOut(Schema):
    id: int
    posyandu_id: int
    topic: str
    title: str
    date: dt.date
    place: str
    facilitator: str
    attendees: list[int]


class AttendanceIn(Schema):
    resident_id: int


class ReferralIn(Schema):
    resident_id: int
    kind: str = Field("referral", description="referral or free_service")
    date: dt.date | None = None
    reason: str
    referred_to: str = Field(description="puskesmas, hospital or other")
    facility: str = ""
    follow_up_date: dt.date | None = None
    pregnancy_id: int | None = None
    notes: str = ""


class ReferralOutcomeIn(Schema):
    outcome: str = Field(description="attended, treated or not_attended")
    outcome_date: dt.date | None = None
    follow_up_date: dt.date | None = None
    notes: str = ""


class ReferralOut(Schema):
    id: int
    resident_id: int
    kind: str
    date: dt.date
    reason: str
    referred_to: str
    facility: str
    outcome: str
    outcome_date: dt.date | None
    follow_up_date: dt.date | None
