"""Shapes of the UMKM API. Choice fields are enums of the codes in ``umkm.models``; input schemas check
types only, the rules stay in the services (same answers as the pages). Money is integer Rupiah."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from bansos.umkm.models import BusinessStatus, Sector, SupportKind

TrendCode = Literal["naik", "turun", "stabil", "kurang_data"]
RepaymentStatus = Literal["", "lunas", "lancar", "menunggak", "belum_cair"]


class Ref(Schema):
    id: int
    name: str


class TrendOut(Schema):
    code: TrendCode
    recent_avg: int | None = Field(None, description="Average revenue of the last 3 logged months (Rupiah)")
    before_avg: int | None = Field(None, description="Average revenue of the (up to) 3 logged months before")
    pct: float | None = Field(None, description="Change in percent, one decimal; null when the earlier average is 0")


class IndicatorsOut(Schema):
    on: dt.date
    months_active: int
    trend: TrendOut
    repayment_status: RepaymentStatus = Field(description="Worst of the loans; empty when there is no loan")
    days_overdue: int
    arrears_bucket: str = Field(description="1-30, 31-90, 90+ or empty")
    capital_disbursed: int
    equipment_value: int
    total_support: int
    outstanding: int


class BusinessOut(Schema):
    id: int
    name: str
    sector: Sector
    products: str
    started_on: dt.date
    owner: Ref
    household_id: int
    program: Ref
    rt_id: int | None
    address: str
    nib: str
    women_owned: bool
    youth_owned: bool
    status: BusinessStatus
    closed_on: dt.date | None
    closed_reason: str


class BusinessRow(BusinessOut):
    indicators: IndicatorsOut


class BusinessPage(Schema):
    total: int
    page: int
    page_size: int
    pages: int
    items: list[BusinessRow]


class BusinessIn(Schema):
    owner: int = Field(description="Resident id: an active member of a household enrolled in the program")
    program: int = Field(description="An enterprise program of the caller's agency")
    name: str = Field(max_length=150)
    sector: Sector
    products: str = Field(max_length=250)
    started_on: dt.date
    rt: int | None = None
    address: str = Field("", max_length=250)
    nib: str = Field("", max_length=13, description="13 digits, or empty")
    women_owned: bool | None = Field(None, description="Left out: from the owner's sex")
    youth_owned: bool | None = Field(None, description="Left out: owner aged 16-30")


class BusinessUpdateIn(Schema):
    """Fields left out are left alone; the owner and the program do not change."""

    name: str | None = Field(None, max_length=150)
    sector: Sector | None = None
    products: str | None = Field(None, max_length=250)
    started_on: dt.date | None = None
    rt: int | None = None
    address: str | None = Field(None, max_length=250)
    nib: str | None = Field(None, max_length=13)
    women_owned: bool | None = None
    youth_owned: bool | None = None


class CloseIn(Schema):
    closed_on: dt.date
    reason: str = Field(max_length=200)


class UmkmReasonIn(Schema):
    reason: str = Field("", max_length=200)


class CapitalIn(Schema):
    kind: SupportKind
    amount: int = Field(description="Rupiah; at most what the enrollment still has committed")
    approved_on: dt.date
    interest_bp_year: int = Field(0, description="Loans: flat interest per year in basis points (1200 = 12 %)")
    term_months: int | None = None
    first_due_date: dt.date | None = None
    note: str = Field("", max_length=200)


class DisburseIn(Schema):
    disbursed_on: dt.date
    note: str = Field("", max_length=200)


class CapitalOut(Schema):
    id: int
    business_id: int
    enrollment_id: int
    kind: SupportKind
    amount: int
    interest_bp_year: int
    term_months: int | None
    first_due_date: dt.date | None
    total_due: int
    repaid: int
    approved_on: dt.date
    disbursed_on: dt.date | None
    note: str


class InstallmentOut(Schema):
    number: int
    due_date: dt.date
    amount_due: int
    amount_paid: int


class ScheduleOut(Schema):
    loan: CapitalOut
    interest: int
    installments: list[InstallmentOut]


class RepaymentIn(Schema):
    paid_on: dt.date
    amount: int
    note: str = Field("", max_length=200)


class RepaymentOut(Schema):
    id: int
    loan_id: int
    paid_on: dt.date
    amount: int
    note: str
    reversed: bool
    reversed_reason: str


class MentoringIn(Schema):
    date: dt.date
    topic: str = Field(max_length=150)
    mentor: str = Field(max_length=120)
    notes: str = Field("", max_length=5000)


class MentoringOut(Schema):
    id: int
    date: dt.date
    topic: str
    mentor: str
    notes: str


class EquipmentIn(Schema):
    item: str = Field(max_length=150)
    value: int = 0
    given_on: dt.date
    note: str = Field("", max_length=200)


class EquipmentOut(Schema):
    id: int
    item: str
    value: int
    given_on: dt.date
    note: str


class RevenueIn(Schema):
    month: dt.date = Field(description="Any day of the month; stored as its first day. The same month again updates it")
    revenue: int
    profit: int = Field(description="Negative for a loss")
    note: str = Field("", max_length=200)


class RevenueOut(Schema):
    month: dt.date
    revenue: int
    profit: int
    note: str
