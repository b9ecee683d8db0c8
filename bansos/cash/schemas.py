"""Shapes of the cash API: what comes in and what goes out.

Choice fields are enums of the stable codes in ``cash.models``. Input schemas only check types and
ranges; the rules (maker-checker, budget, states, file columns, identity checks) stay in the
services so the API and the pages give the same answers. Money is integer Rupiah everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from bansos.cash.models import (
    AmountRule, CycleState, EntitlementState, Frequency, IdentityDocument, InstitutionKind, PaymentStatus,
    ProblemCode,
)
from bansos.programs.models import ProgramKind

FileFormat = Literal["csv", "xlsx"]


class Page(Schema):
    total: int
    page: int
    page_size: int
    pages: int


class PersonRef(Schema):
    """A staff member who did something (maker, checker, uploader)."""

    id: int
    name: str


# --- Paying institutions ------------------------------------------------------------------------


class PaymentColumnIn(Schema):
    key: str = Field(description="A column key, e.g. reference, nik, name, account_number, pickup_code, amount")
    header: str | None = Field(None, description="The header in the file; empty: the column's default header")


class PaymentColumnOut(Schema):
    key: str
    header: str


class InstitutionOut(Schema):
    id: int
    name: str
    kind: InstitutionKind
    columns: list[PaymentColumnOut] = Field(description="The payment file's columns, in order")
    file_format: FileFormat
    csv_delimiter: str
    is_active: bool


class InstitutionIn(Schema):
    name: str = Field(max_length=120)
    kind: InstitutionKind
    columns: list[str | PaymentColumnIn] = Field(
        description="Column keys, or {key, header} pairs; must include reference and amount")
    file_format: FileFormat = "csv"
    csv_delimiter: str = Field(",", max_length=1, description="One of , ; | or a tab")
    is_active: bool = True


class InstitutionUpdateIn(Schema):
    """Fields left out are left alone."""

    name: str | None = Field(None, max_length=120)
    kind: InstitutionKind | None = None
    columns: list[str | PaymentColumnIn] | None = None
    file_format: FileFormat | None = None
    csv_delimiter: str | None = Field(None, max_length=1)
    is_active: bool | None = None


class InstitutionRef(Schema):
    id: int
    name: str
    kind: InstitutionKind


# --- Schemes ------------------------------------------------------------------------------------


class SchemeOut(Schema):
    program_id: int
    frequency: Frequency
    amount_rule: AmountRule
    months_per_cycle: int = Field(description="Months of the monthly amounts one cycle pays")
    flat_amount: int = Field(description="Rp per participant per month (flat rule)")
    per_child_sd: int
    per_child_smp: int
    per_child_sma: int
    per_child_smk: int = Field(description="Rp per SMK student (school data); 0: the SMA/SMK amount")
    per_child_pkbm: int = Field(description="Rp per PKBM learner (school data)")
    per_child_private: int = Field(description="Rp added per child at a private school (school data)")
    per_pregnant: int
    per_under_five: int
    per_elderly: int
    per_disability: int
    household_cap: int | None = Field(description="Rp per household per month; null: no cap")
    institution: InstitutionRef
    updated_at: dt.datetime


class SchemeIn(Schema):
    """Amounts are Rp per month; a quarterly cycle pays three months of them."""

    frequency: Frequency
    amount_rule: AmountRule
    flat_amount: int = Field(0, ge=0)
    per_child_sd: int = Field(0, ge=0)
    per_child_smp: int = Field(0, ge=0)
    per_child_sma: int = Field(0, ge=0)
    per_child_smk: int = Field(0, ge=0, description="School data; 0: SMK students get the SMA/SMK amount")
    per_child_pkbm: int = Field(0, ge=0, description="School data (the education app)")
    per_child_private: int = Field(0, ge=0, description="Added per child at a private school (school data)")
    per_pregnant: int = Field(0, ge=0)
    per_under_five: int = Field(0, ge=0)
    per_elderly: int = Field(0, ge=0)
    per_disability: int = Field(0, ge=0)
    household_cap: int | None = Field(None, description="Rp per household per month; empty: no cap")
    institution: int = Field(description="Paying institution id")


# --- Cycles -------------------------------------------------------------------------------------


class CashProgramRef(Schema):
    id: int
    name: str
    kind: ProgramKind
    agency: str


class GenerationReportOut(Schema):
    included: int = 0
    amount: int = 0
    excluded: dict[str, int] = Field(default_factory=dict,
                                     description="Reason code -> participants left out, e.g. no_head, suspended")


class StateSum(Schema):
    count: int
    amount: int


class CycleOut(Schema):
    id: int
    program: CashProgramRef
    label: str
    period_start: dt.date
    period_end: dt.date
    state: CycleState
    institution: InstitutionRef
    planned_count: int
    planned_amount: int
    paid_count: int
    paid_amount: int
    cancelled_count: int
    cancelled_amount: int
    open_amount: int = Field(description="planned - paid - cancelled (Rp)")
    topup_amount: int = Field(description="Commitment added from the program's budget at approval (Rp)")
    created_by: PersonRef | None
    created_at: dt.datetime
    generated_by: PersonRef | None
    generated_at: dt.datetime | None
    approved_by: PersonRef | None
    approved_at: dt.datetime | None
    closed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str


class CycleDetailOut(CycleOut):
    generation_report: GenerationReportOut
    by_state: dict[str, StateSum] = Field(description="Entitlements per state: how many, how much (Rp)")
    batch_count: int
    manageable: bool = Field(description="Whether the caller may generate, send, reconcile and cancel")
    approvable: bool = Field(description="Whether the caller may approve this cycle now (checker, not the maker)")


class CyclePage(Page):
    items: list[CycleOut]


class CycleCreateIn(Schema):
    program: int = Field(description="Cash program id")
    period_start: dt.date = Field(description="First day of the period (the 1st for monthly and quarterly)")


class ReasonIn(Schema):
    reason: str = Field(max_length=2000)


# --- Entitlements -------------------------------------------------------------------------------


class PaymentRef(Schema):
    """The latest payment attempt of an entitlement."""

    id: int
    batch_number: int
    attempt: int
    reference: str
    status: PaymentStatus
    pickup_code: str = Field(description="Post office or cash office pick-up code; empty for bank transfers")
    paid_on: dt.date | None
    failure_reason: str


class EntitlementOut(Schema):
    id: int
    enrollment_id: int
    household_id: int
    participant_id: int | None = Field(description="The member paid, for person programs")
    kk_number: str
    recipient_name: str
    recipient_nik: str = Field(description="Masked unless the caller may see whole NIKs")
    rt_label: str = Field(description="RT/RW, e.g. 001/002")
    amount: int
    breakdown: list[dict] = Field(description="Components of the amount, as frozen at generation")
    state: EntitlementState
    attempts: int
    paid_on: dt.date | None
    cancel_reason: str
    last_payment: PaymentRef | None


class EntitlementPage(Page):
    items: list[EntitlementOut]
    counts: dict[str, int] = Field(description="Entitlements of the cycle per state (all of them, unfiltered)")


class RetryIn(Schema):
    ids: list[int] | None = Field(None, description="Only these entitlements; empty: every failed one")


class EntitlementCancelIn(Schema):
    ids: list[int] = Field(min_length=1, description="The failed or not yet sent entitlements to give up")
    reason: str = Field(max_length=2000)


class CountOut(Schema):
    done: int


# --- Batches ------------------------------------------------------------------------------------


class BatchOut(Schema):
    id: int
    cycle_id: int
    number: int
    institution: InstitutionRef
    line_count: int
    total_amount: int
    created_by: PersonRef | None
    created_at: dt.datetime
    downloads: int
    by_status: dict[str, int] = Field(description="Payments of the batch per status")


class BatchCreateOut(BatchOut):
    without_account: int = Field(description="Entitlements left waiting because the household has no account")


# --- Results ------------------------------------------------------------------------------------


class ResultUploadOut(Schema):
    id: int
    cycle_id: int
    file_name: str
    size: int
    uploaded_by: PersonRef | None
    uploaded_at: dt.datetime
    lines: int
    paid_count: int
    paid_amount: int
    failed_count: int
    unchanged_count: int = Field(description="Lines an earlier file had already applied")
    problem_count: int = Field(description="Lines not applied")


class ProblemOut(Schema):
    line_no: int
    reference: str
    code: ProblemCode
    label: str
    detail: str
    raw: dict


class ProblemPage(Page):
    items: list[ProblemOut]


class ResultDetailOut(ResultUploadOut):
    problems: ProblemPage


# --- Receipts -----------------------------------------------------------------------------------


class ReceiptIn(Schema):
    receiver_name: str = Field(max_length=120)
    receiver_nik: str = Field(max_length=32, description="16 digits")
    identity_document: IdentityDocument
    identity_checked: bool = Field(description="Must be true: the identity was checked against the document")
    receiver_note: str = Field("", max_length=200, description="Relation to the recipient when someone else came")


class ReceiptOut(Schema):
    id: int
    payment_id: int
    reference: str
    amount: int
    receiver_name: str
    receiver_nik: str = Field(description="Masked unless the caller may see whole NIKs")
    receiver_note: str
    identity_document: IdentityDocument
    handed_by: PersonRef | None
    received_at: dt.datetime


# --- A household's cash -------------------------------------------------------------------------


class HouseholdPaymentOut(Schema):
    attempt: int
    reference: str
    status: PaymentStatus
    amount: int
    paid_on: dt.date | None
    failure_reason: str
    received_by: str | None = Field(description="Who collected cash at the office, when recorded")


class HouseholdEntitlementOut(Schema):
    """What the household gets in one cycle. Residents see the first block only; staff see all."""

    program: str
    cycle_label: str
    period_start: dt.date
    period_end: dt.date
    amount: int
    status: EntitlementState
    paid_on: dt.date | None
    # Staff only (null for the resident).
    id: int | None = None
    program_id: int | None = None
    cycle_id: int | None = None
    cycle_state: CycleState | None = None
    recipient_name: str | None = None
    recipient_nik: str | None = Field(None, description="Masked unless the caller may see whole NIKs")
    cancel_reason: str | None = None
    payments: list[HouseholdPaymentOut] | None = None


class HouseholdCashOut(Schema):
    household_id: int
    items: list[HouseholdEntitlementOut]
