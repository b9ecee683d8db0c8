"""Registry fields a survey question may update, with the answer kind each one needs.

A mapped single-choice question must offer exactly the registry's codes as its choice values,
so that an answer can be written to the field without translation. The XLSForm import maps
labels to codes where a file uses the labels (or other values) instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import translation

from bansos.registry.models import (
    ASSET_FIELDS, CookingFuel, Disability, Education, ElectricityVA, EmploymentStatus, FloorMaterial, Household,
    Lighting, Ownership, Resident, RoofMaterial, SchoolEnrolment, Toilet, WallMaterial, WaterSource,
)
from bansos.surveys.models import QuestionKind, Subject


@dataclass(frozen=True)
class Target:
    key: str  # "household.floor_material"
    subject: str  # Subject value
    field: str
    kind: str  # QuestionKind value the question must have
    choices: type[models.Choices] | None = None

    @property
    def model(self):
        return Household if self.subject == Subject.HOUSEHOLD else Resident

    @property
    def label(self) -> str:
        return str(self.model._meta.get_field(self.field).verbose_name)

    def codes(self) -> list[str]:
        return [str(value) for value in self.choices.values] if self.choices else []

    def to_field_value(self, value: Any) -> Any:
        """The registry value for a typed answer (None clears the field where it can be empty)."""
        if self.kind == QuestionKind.YES_NO:
            return value == "yes"
        if self.kind == QuestionKind.INTEGER:
            return None if value is None else int(value)
        if self.choices is ElectricityVA:
            return None if value in (None, "") else int(value)
        return "" if value is None else value


def _choice(subject, field, choices):
    return Target(f"{subject}.{field}", subject, field, QuestionKind.SINGLE, choices)


_H, _R = Subject.HOUSEHOLD.value, Subject.RESIDENT.value

TARGETS: dict[str, Target] = {
    t.key: t
    for t in (
        _choice(_H, "floor_material", FloorMaterial),
        _choice(_H, "wall_material", WallMaterial),
        _choice(_H, "roof_material", RoofMaterial),
        _choice(_H, "water_source", WaterSource),
        _choice(_H, "toilet", Toilet),
        _choice(_H, "lighting", Lighting),
        _choice(_H, "electricity_va", ElectricityVA),
        _choice(_H, "cooking_fuel", CookingFuel),
        _choice(_H, "house_ownership", Ownership),
        _choice(_H, "land_ownership", Ownership),
        Target("household.floor_area_m2", _H, "floor_area_m2", QuestionKind.INTEGER),
        Target("household.monthly_income", _H, "monthly_income", QuestionKind.INTEGER),
        Target("household.monthly_expenditure", _H, "monthly_expenditure", QuestionKind.INTEGER),
        *(Target(f"household.{name}", _H, name, QuestionKind.YES_NO) for name, _label in ASSET_FIELDS),
        _choice(_R, "education", Education),
        _choice(_R, "school_enrolment", SchoolEnrolment),
        _choice(_R, "employment_status", EmploymentStatus),
        _choice(_R, "disability", Disability),
        Target("resident.monthly_income", _R, "monthly_income", QuestionKind.INTEGER),
        Target("resident.pregnant", _R, "pregnant", QuestionKind.YES_NO),
        Target("resident.occupation", _R, "occupation", QuestionKind.TEXT),
    )
}


def target_choices() -> list[tuple[str, str]]:
    """(key, label) pairs for the builder's drop-down, household fields first."""
    out = []
    for target in TARGETS.values():
        prefix = "Keluarga" if target.subject == Subject.HOUSEHOLD else "Anggota"
        out.append((target.key, f"{prefix}: {target.label}"))
    return out


def code_for_label(target: Target, text: str) -> str | None:
    """The registry code whose value or Indonesian/English label matches ``text`` (case-insensitive)."""
    wanted = " ".join(str(text).split()).casefold()
    if not target.choices:
        return None
    for value, label in target.choices.choices:
        names = {str(value).casefold()}
        for language in ("id", "en"):
            with translation.override(language):
                names.add(str(label).casefold())
        if wanted in names:
            return str(value)
    return None
