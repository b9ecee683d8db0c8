"""Shapes of the registry API: what comes in and what goes out.

Choice fields are enums of the stable codes in ``registry.models.choices``. Input schemas only
check types; the rules (NIK structure, one head, scope) stay in ``validation`` and ``services``
so the API and the pages give the same answers. Fields left out of an update are left alone.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from ninja import Field, Schema

from bansos.core.formats import mask_nik
from bansos.registry.models import (
    CookingFuel, Disability, Education, ElectricityVA, EmploymentStatus, FloorMaterial, HouseholdStatus,
    LegalBasis, Lighting, MaritalStatus, Ownership, Relation, ResidentStatus, RoofMaterial, SchoolEnrolment, Sex,
    Toilet, WallMaterial, WaterSource,
)

# Choice fields stored as "" when unknown; the API says null instead of an empty code.
HOUSEHOLD_BLANK_CHOICES = (
    "floor_material", "wall_material", "roof_material", "water_source", "toilet", "lighting", "cooking_fuel",
    "house_ownership", "land_ownership",
)
RESIDENT_BLANK_CHOICES = ("education", "school_enrolment", "employment_status")
RESIDENT_TEXT_FIELDS = ("birth_place", "occupation", "chronic_illness")


class SearchStatus(str, Enum):
    ACTIVE = "active"
    MOVED = "moved"
    DISSOLVED = "dissolved"
    ALL = "all"


class LeavingStatus(str, Enum):
    """The statuses a resident can be given (becoming active again is not a status change)."""

    MOVED_OUT = ResidentStatus.MOVED_OUT.value
    DECEASED = ResidentStatus.DECEASED.value


# --- Out ------------------------------------------------------------------------------------


class AreaOut(Schema):
    rt_id: int
    rt: int
    rw: int
    label: str = Field(description="RT/RW as written on documents, e.g. 001/002")


def area_of(household) -> dict[str, Any]:
    rt = household.rt
    return {"rt_id": rt.pk, "rt": rt.number, "rw": rt.rw.number, "label": rt.label}


def _blank_to_none(value: str | None) -> str | None:
    return value or None


class HouseholdListItem(Schema):
    id: int
    kk_number: str
    area: AreaOut
    address: str
    status: HouseholdStatus
    head_name: str | None
    female_head: bool
    member_count: int

    @staticmethod
    def from_household(household) -> dict[str, Any]:
        head = household.heads[0] if household.heads else None
        return {
            "id": household.pk,
            "kk_number": household.kk_number,
            "area": area_of(household),
            "address": household.address,
            "status": household.status,
            "head_name": head.full_name if head else None,
            "female_head": bool(head and head.sex == Sex.FEMALE),
            "member_count": household.member_count,
        }


class HouseholdPage(Schema):
    items: list[HouseholdListItem]
    total: int
    page: int
    page_size: int
    pages: int


class ResidentOut(Schema):
    id: int
    household_id: int
    nik: str = Field(description="Full NIK for roles allowed to see it, masked otherwise")
    nik_masked: bool
    full_name: str
    sex: Sex
    birth_place: str
    birth_date: dt.date
    age: int | None
    relation: Relation
    marital_status: MaritalStatus
    education: Education | None
    school_enrolment: SchoolEnrolment | None
    occupation: str
    employment_status: EmploymentStatus | None
    monthly_income: int | None
    disability: Disability
    pregnant: bool
    chronic_illness: str
    status: ResidentStatus
    groups: list[str]

    @staticmethod
    def from_resident(resident, *, full_nik: bool) -> dict[str, Any]:
        return {
            "id": resident.pk,
            "household_id": resident.household_id,
            "nik": resident.nik if full_nik else mask_nik(resident.nik),
            "nik_masked": not full_nik,
            "full_name": resident.full_name,
            "sex": resident.sex,
            "birth_place": resident.birth_place,
            "birth_date": resident.birth_date,
            "age": resident.age(),
            "relation": resident.relation,
            "marital_status": resident.marital_status,
            "education": _blank_to_none(resident.education),
            "school_enrolment": _blank_to_none(resident.school_enrolment),
            "occupation": resident.occupation,
            "employment_status": _blank_to_none(resident.employment_status),
            "monthly_income": resident.monthly_income,
            "disability": resident.disability,
            "pregnant": resident.pregnant,
            "chronic_illness": resident.chronic_illness,
            "status": resident.status,
            "groups": resident.groups if resident.status == ResidentStatus.ACTIVE else [],
        }


class HouseholdOut(Schema):
    id: int
    kk_number: str
    area: AreaOut
    address: str
    phone: str
    status: HouseholdStatus
    legal_basis: LegalBasis
    consent_date: dt.date | None
    floor_area_m2: int | None
    floor_material: FloorMaterial | None
    wall_material: WallMaterial | None
    roof_material: RoofMaterial | None
    water_source: WaterSource | None
    toilet: Toilet | None
    lighting: Lighting | None
    electricity_va: ElectricityVA | None
    cooking_fuel: CookingFuel | None
    house_ownership: Ownership | None
    land_ownership: Ownership | None
    asset_motorbike: bool
    asset_car: bool
    asset_refrigerator: bool
    asset_air_conditioner: bool
    asset_television: bool
    asset_computer: bool
    asset_smartphone: bool
    asset_gold: bool
    monthly_income: int | None
    monthly_expenditure: int | None
    dtsen_decile: int | None
    female_head: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    members: list[ResidentOut]

    @staticmethod
    def from_household(household, *, full_nik: bool) -> dict[str, Any]:
        data = {name: getattr(household, name) for name in HouseholdOut.model_fields if name not in (
            "area", "members", "female_head")}
        for name in HOUSEHOLD_BLANK_CHOICES:
            data[name] = _blank_to_none(data[name])
        data["id"] = household.pk
        data["area"] = area_of(household)
        data["female_head"] = household.is_female_headed
        data["members"] = [ResidentOut.from_resident(r, full_nik=full_nik) for r in household.residents.all()]
        return data


class HistoryEvent(Schema):
    id: int
    created_at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    changes: dict[str, Any] = Field(description="{field: [old, new]}; NIK values masked unless allowed")
    reason: str
    channel: str


# --- In -------------------------------------------------------------------------------------


class _HouseholdFields(Schema):
    phone: str = ""
    legal_basis: LegalBasis = LegalBasis.PUBLIC_TASK
    consent_date: dt.date | None = None
    floor_area_m2: int | None = None
    floor_material: FloorMaterial | None = None
    wall_material: WallMaterial | None = None
    roof_material: RoofMaterial | None = None
    water_source: WaterSource | None = None
    toilet: Toilet | None = None
    lighting: Lighting | None = None
    electricity_va: ElectricityVA | None = None
    cooking_fuel: CookingFuel | None = None
    house_ownership: Ownership | None = None
    land_ownership: Ownership | None = None
    asset_motorbike: bool = False
    asset_car: bool = False
    asset_refrigerator: bool = False
    asset_air_conditioner: bool = False
    asset_television: bool = False
    asset_computer: bool = False
    asset_smartphone: bool = False
    asset_gold: bool = False
    monthly_income: int | None = Field(None, description="Rupiah per month, an integer")
    monthly_expenditure: int | None = Field(None, description="Rupiah per month, an integer")
    dtsen_decile: int | None = None


class ResidentIn(Schema):
    nik: str = Field(description="16 digits")
    full_name: str
    sex: Sex
    birth_place: str = ""
    birth_date: dt.date
    relation: Relation
    marital_status: MaritalStatus = MaritalStatus.SINGLE
    education: Education | None = None
    school_enrolment: SchoolEnrolment | None = None
    occupation: str = ""
    employment_status: EmploymentStatus | None = None
    monthly_income: int | None = Field(None, description="Rupiah per month, an integer")
    disability: Disability = Disability.NONE
    pregnant: bool = False
    chronic_illness: str = ""


class HouseholdCreateIn(_HouseholdFields):
    kk_number: str = Field(description="16 digits")
    rt: int = Field(description="Id of the RT (area.rt_id of any household)")
    address: str
    members: list[ResidentIn] = Field(description="Every member; exactly one with relation=head")
    reason: str = ""


class HouseholdUpdateIn(Schema):
    """Only the fields sent are changed."""

    kk_number: str | None = None
    rt: int | None = Field(None, description="Id of the RT")
    address: str | None = None
    phone: str | None = None
    legal_basis: LegalBasis | None = None
    consent_date: dt.date | None = None
    floor_area_m2: int | None = None
    floor_material: FloorMaterial | None = None
    wall_material: WallMaterial | None = None
    roof_material: RoofMaterial | None = None
    water_source: WaterSource | None = None
    toilet: Toilet | None = None
    lighting: Lighting | None = None
    electricity_va: ElectricityVA | None = None
    cooking_fuel: CookingFuel | None = None
    house_ownership: Ownership | None = None
    land_ownership: Ownership | None = None
    asset_motorbike: bool | None = None
    asset_car: bool | None = None
    asset_refrigerator: bool | None = None
    asset_air_conditioner: bool | None = None
    asset_television: bool | None = None
    asset_computer: bool | None = None
    asset_smartphone: bool | None = None
    asset_gold: bool | None = None
    monthly_income: int | None = None
    monthly_expenditure: int | None = None
    dtsen_decile: int | None = None
    reason: str = Field("", description="Required: why the data changed")


class HouseholdStatusIn(Schema):
    status: HouseholdStatus
    reason: str = Field("", description="Required")


class ResidentAddIn(ResidentIn):
    reason: str = ""


class ResidentUpdateIn(Schema):
    """Only the fields sent are changed."""

    nik: str | None = None
    full_name: str | None = None
    sex: Sex | None = None
    birth_place: str | None = None
    birth_date: dt.date | None = None
    relation: Relation | None = None
    marital_status: MaritalStatus | None = None
    education: Education | None = None
    school_enrolment: SchoolEnrolment | None = None
    occupation: str | None = None
    employment_status: EmploymentStatus | None = None
    monthly_income: int | None = None
    disability: Disability | None = None
    pregnant: bool | None = None
    chronic_illness: str | None = None
    reason: str = Field("", description="Required: why the data changed")


class ResidentMoveIn(Schema):
    to_household: int = Field(description="Id of the receiving household")
    relation: Relation = Field(description="Relation to the head of the receiving household")
    reason: str = Field("", description="Required")


class ResidentStatusIn(Schema):
    status: LeavingStatus
    reason: str = Field("", description="Required")


class ChangeHeadIn(Schema):
    new_head: int = Field(description="Id of an active member of this household")
    old_head_relation: Relation = Field(description="What the previous head becomes, e.g. spouse")
    reason: str = Field("", description="Required")


def enum_values(data: dict[str, Any]) -> dict[str, Any]:
    """Plain codes instead of enum members, so services and audit events see strings and ints."""
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in data.items()}
