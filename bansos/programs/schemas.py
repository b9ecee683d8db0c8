"""Shapes of the programs API: what comes in and what goes out.

Choice fields are enums of the stable codes in ``programs.models``. Input schemas only check
types and ranges; the rules (periods, budget, scope, transitions, overlap) stay in the services so
the API and the pages give the same answers. Money is integer Rupiah everywhere.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from ninja import Field, Schema

from bansos.accounts.models import AgencyKind
from bansos.programs.models import (
    BenefitKind, Channel, EnrollmentState, FundingKind, Participant, PolicyEffect, ProgramKind, ProgramStatus,
    ReferralStatus, TargetGroup,
)


class ApplyChannel(str, Enum):
    """How an application through the API came in (rule runs and referrals have their own operations)."""

    STAFF = Channel.STAFF.value
    NOMINATION = Channel.NOMINATION.value
    RESIDENT = Channel.RESIDENT.value


# --- Programs -----------------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    name: str
    kind: AgencyKind


class BudgetOut(Schema):
    """The program's money and places; staff with the catalog permission only."""

    allocated: int = Field(description="Sum of the allocations from funding sources (Rp)")
    committed: int = Field(description="Reserved for approved participants (Rp)")
    disbursed: int = Field(description="Paid out (Rp)")
    remaining: int = Field(description="allocated - committed (Rp)")
    cost_per_participant: int = Field(description="benefit_amount x benefit_periods, committed at approval (Rp)")
    seats_taken: int
    seats_remaining: int | None = Field(description="null when the program has no capacity limit")


class ProgramOut(Schema):
    id: int
    name: str
    kind: ProgramKind
    agency: AgencyOut
    description: str
    target_groups: list[TargetGroup]
    participant: Participant
    benefit_kind: BenefitKind
    benefit_description: str
    benefit_amount: int = Field(description="Rp per period for one participant")
    benefit_periods: int
    start_date: dt.date
    end_date: dt.date
    capacity: int | None
    status: ProgramStatus
    rule_id: int | None = Field(description="Eligibility rule; null for callers without the catalog permission")
    budget: BudgetOut | None = Field(description="Null for callers without the catalog permission")
    manageable: bool = Field(description="Whether the caller may edit this program and allocate money to it")


class ProgramPage(Schema):
    items: list[ProgramOut]
    total: int
    page: int
    page_size: int
    pages: int


class ProgramCreateIn(Schema):
    name: str = Field(max_length=150)
    kind: ProgramKind
    agency: int | None = Field(None, description="Agency id; officers may leave it empty (their own agency)")
    description: str = Field("", max_length=4000)
    target_groups: list[TargetGroup] = []
    rule: int | None = Field(None, description="Eligibility rule id (the agency's own or a kelurahan rule)")
    participant: Participant | None = Field(None, description="Empty: the usual participant of the kind")
    benefit_kind: BenefitKind
    benefit_description: str = Field("", max_length=200)
    benefit_amount: int = Field(0, ge=0, description="Rp per period")
    benefit_periods: int = Field(1, ge=1)
    start_date: dt.date
    end_date: dt.date
    capacity: int | None = Field(None, ge=1)


class ProgramUpdateIn(Schema):
    """Fields left out are left alone; the agency never changes."""

    name: str | None = Field(None, max_length=150)
    kind: ProgramKind | None = None
    description: str | None = Field(None, max_length=4000)
    target_groups: list[TargetGroup] | None = None
    rule: int | None = None
    participant: Participant | None = None
    benefit_kind: BenefitKind | None = None
    benefit_description: str | None = Field(None, max_length=200)
    benefit_amount: int | None = Field(None, ge=0)
    benefit_periods: int | None = Field(None, ge=1)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    capacity: int | None = Field(None, ge=1)


class ProgramStatusIn(Schema):
    status: ProgramStatus
    reason: str = Field("", max_length=1000)


# --- Funding ------------------------------------------------------------------------------------


class FundingSourceOut(Schema):
    id: int
    name: str
    kind: FundingKind
    agency: AgencyOut | None = Field(description="The funder; null for the kelurahan's own budget lines")
    shared: bool = Field(description="Whether other agencies' programs may draw on it")
    fiscal_year: int
    amount: int
    allocated: int
    available: int
    note: str


class FundingSourceIn(Schema):
    name: str = Field(max_length=150)
    kind: FundingKind
    agency: int | None = Field(None, description="The funder agency's id; empty for the kelurahan's own")
    shared: bool = True
    fiscal_year: int = Field(ge=2000, le=2100)
    amount: int = Field(gt=0)
    note: str = Field("", max_length=2000)


class AllocationIn(Schema):
    source: int = Field(description="Funding source id")
    amount: int = Field(description="Rp; negative to take money back to the source")
    note: str = Field("", max_length=200)


class AllocationOut(Schema):
    id: int
    source_id: int
    program_id: int
    amount: int
    note: str
    created_at: dt.datetime
    budget: BudgetOut


# --- Enrollments --------------------------------------------------------------------------------


class EnrollmentOut(Schema):
    id: int
    program_id: int
    household_id: int
    kk_number: str
    resident_id: int | None
    participant_name: str = Field(description="The resident, or the household head for household programs")
    nik: str | None = Field(description="The participant's NIK, masked unless the caller may see it whole")
    rw: int
    rt: int
    state: EnrollmentState
    channel: Channel
    committed_amount: int
    disbursed_amount: int
    verification_note: str
    reason: str = Field(description="The latest rejection, suspension or exit reason")
    applied_at: dt.datetime
    verified_at: dt.datetime | None
    decided_at: dt.datetime | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None


class EnrollmentPage(Schema):
    items: list[EnrollmentOut]
    counts: dict[str, int] = Field(description="Enrollments of the program per state (all of them, unfiltered)")
    total: int
    page: int
    page_size: int
    pages: int


class EnrollmentApplyIn(Schema):
    household: int = Field(description="Household id")
    resident: int | None = Field(None, description="The participant member, for person programs")
    channel: ApplyChannel = ApplyChannel.STAFF
    note: str = Field("", max_length=1000)


class EnrollmentTransitionIn(Schema):
    to: EnrollmentState
    reason: str = Field("", max_length=2000, description="Required to reject, suspend, exit; the field check "
                                                        "note to verify")
    acknowledge_warnings: bool = Field(False, description="Approve despite an overlap policy's warning")


class BulkApplyIn(Schema):
    run: int = Field(description="A finished run of the program's eligibility rule")


class BulkVerifyIn(Schema):
    note: str = Field(max_length=2000, description="The desk check recorded on every application")
    ids: list[int] | None = Field(None, description="Only these enrollments; empty: every applied one")


class BulkApproveIn(Schema):
    acknowledge_warnings: bool = False
    ids: list[int] | None = Field(None, description="Only these enrollments; empty: every verified one")


class BulkPreviewOut(Schema):
    eligible: int
    inactive: int
    already: int
    new: int
    without_head: int
    person_program: bool


class BulkResultOut(Schema):
    done: int
    skipped: dict[str, int] = Field(description="Reason code -> count, e.g. budget_or_capacity, overlap_forbidden")


# --- Referrals ----------------------------------------------------------------------------------


class ProgramRef(Schema):
    """A program as the caller may know it: another agency's program a family receives shows only its kind."""

    id: int | None
    kind: ProgramKind
    name: str | None
    agency: str | None


class ProgramReferralOut(Schema):
    id: int
    household_id: int
    kk_number: str
    resident_id: int | None
    from_program: ProgramRef | None
    to_program: ProgramRef
    status: ReferralStatus
    note: str
    response: str
    enrollment_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ReferralSendIn(Schema):
    household: int
    to_program: int
    from_program: int | None = Field(None, description="Empty only for the kelurahan admin")
    resident: int | None = None
    note: str = Field("", max_length=2000)


class ReferralAnswerIn(Schema):
    action: Literal["accept", "decline", "enroll"]
    response: str = Field("", max_length=2000, description="Required to decline")
    resident: int | None = Field(None, description="enroll: the participant member for a person program")


# --- Overlap policies ---------------------------------------------------------------------------


class OverlapPolicyOut(Schema):
    id: int
    kind_a: ProgramKind
    kind_b: ProgramKind
    effect: PolicyEffect
    same_period: bool
    note: str
    is_active: bool


class OverlapPolicyIn(Schema):
    kind_a: ProgramKind
    kind_b: ProgramKind
    effect: PolicyEffect
    same_period: bool = True
    note: str = Field("", max_length=200)
    is_active: bool = True
