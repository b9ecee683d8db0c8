"""What the welfare model looks at: the attributes, their values, and the default weights.

The model is log-linear: ``log(per-capita expenditure) = log(base amount) + sum of weights``, one
weight per attribute for the value the household has. A value missing from a model's table (or
an attribute not surveyed yet) weighs 0: the reference category. The catalogue below is code
(which values exist and how they are read from the registry); the weights are data, stored per
model version in ``WelfareCoefficient`` and edited by the admin.

Household-level attributes are read from the household row; "people" attributes come from the
active members (size, children, elderly, workers, disability, the head's education, work, sex),
aggregated in the database for the whole registry, or in Python for a single household. Both
paths go through ``people_values`` so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from bansos.registry.models.choices import (
    ASSET_FIELDS,
    CookingFuel,
    Education,
    EmploymentStatus,
    FloorMaterial,
    Lighting,
    Ownership,
    RoofMaterial,
    Toilet,
    WallMaterial,
    WaterSource,
)

YES = "yes"
CHILD_AGE = 15  # under 15: a dependant child
ELDERLY_AGE = 60  # 60 and over: an elderly dependant (Jakarta's elderly card age)
WORKING = ("employee", "self_employed", "casual")  # paid work; family workers are unpaid

# Bounds an admin may set. Weights are log points: +0.10 is about +10.5%, -0.69 halves the estimate.
WEIGHT_MIN, WEIGHT_MAX = -2.0, 2.0
BASE_MIN, BASE_MAX = 100_000, 50_000_000


@dataclass(frozen=True)
class Attribute:
    code: str
    label: Any
    values: tuple[tuple[str, Any], ...]  # (value code, label)
    group: str  # "housing", "assets" or "people": which precompiled lookup it belongs to

    def value_label(self, value: str) -> str:
        for code, label in self.values:
            if code == value:
                return str(label)
        return str(_("Belum didata"))


def _choices(enum) -> tuple[tuple[str, Any], ...]:
    return tuple((str(value), label) for value, label in enum.choices)


_YES = ((YES, _("Ya")),)

SIZE_BANDS = (("1", _("1 orang")), ("2", _("2 orang")), ("3", _("3 orang")), ("4", _("4 orang")),
              ("5", _("5 orang")), ("6+", _("6 orang atau lebih")))
AREA_BANDS = (("lt8", _("Kurang dari 8 m²")), ("8_15", _("8 sampai < 15 m²")),
              ("15_30", _("15 sampai < 30 m²")), ("ge30", _("30 m² atau lebih")))
VA_VALUES = (("0", _("Tidak ada")), ("450", "450 VA"), ("900", "900 VA"), ("1300", "1.300 VA"),
             ("2200", "2.200 VA"), ("3500", _("3.500 VA ke atas")))
COUNT_0_2 = (("0", _("Tidak ada")), ("1", _("1 orang")), ("2+", _("2 orang atau lebih")))
COUNT_0_3 = (("0", _("Tidak ada")), ("1", _("1 orang")), ("2", _("2 orang")), ("3+", _("3 orang atau lebih")))

# Household columns read for the housing lookup, in this order.
HOUSING_FIELDS = ("floor_material", "wall_material", "roof_material", "water_source", "toilet", "lighting",
                  "electricity_va", "cooking_fuel", "house_ownership")
ASSET_CODES = tuple(name for name, _label in ASSET_FIELDS)

ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("household_size", _("Jumlah anggota keluarga"), SIZE_BANDS, "people"),
    Attribute("floor_area_pp", _("Luas lantai per orang"), AREA_BANDS, "people"),
    Attribute("floor_material", _("Jenis lantai"), _choices(FloorMaterial), "housing"),
    Attribute("wall_material", _("Jenis dinding"), _choices(WallMaterial), "housing"),
    Attribute("roof_material", _("Jenis atap"), _choices(RoofMaterial), "housing"),
    Attribute("water_source", _("Sumber air minum"), _choices(WaterSource), "housing"),
    Attribute("toilet", _("Fasilitas BAB"), _choices(Toilet), "housing"),
    Attribute("lighting", _("Sumber penerangan"), _choices(Lighting), "housing"),
    Attribute("electricity_va", _("Daya listrik"), VA_VALUES, "housing"),
    Attribute("cooking_fuel", _("Bahan bakar memasak"), _choices(CookingFuel), "housing"),
    Attribute("house_ownership", _("Status rumah"), _choices(Ownership), "housing"),
    *(Attribute(name, label, _YES, "assets") for name, label in ASSET_FIELDS),
    Attribute("head_education", _("Pendidikan kepala keluarga"), _choices(Education), "people"),
    Attribute("head_work", _("Pekerjaan kepala keluarga"), _choices(EmploymentStatus), "people"),
    Attribute("workers", _("Anggota yang bekerja dibayar"), COUNT_0_2, "people"),
    Attribute("children", _("Anak di bawah 15 tahun"), COUNT_0_3, "people"),
    Attribute("elderly", _("Lansia 60 tahun ke atas"), COUNT_0_2, "people"),
    Attribute("disability", _("Ada anggota penyandang disabilitas"), _YES, "people"),
    Attribute("female_head", _("Perempuan kepala keluarga"), _YES, "people"),
)
ATTRIBUTE_BY_CODE = {a.code: a for a in ATTRIBUTES}
PEOPLE_CODES = tuple(a.code for a in ATTRIBUTES if a.group == "people")
# The order of the values ``people_values`` returns.
PEOPLE_ORDER = ("household_size", "floor_area_pp", "head_education", "head_work", "workers", "children",
                "elderly", "disability", "female_head")
assert sorted(PEOPLE_ORDER) == sorted(PEOPLE_CODES)


def valid_pairs() -> set[tuple[str, str]]:
    return {(a.code, v) for a in ATTRIBUTES for v, _label in a.values}


# The published default (version 1). Log points, chosen by hand from the direction and rough size
# of effects reported for Indonesian proxy-means tests; they are the kelurahan's starting point to
# calibrate against its own survey data, not the national DTSEN/PMT weights (those are not public).
DEFAULT_NAME = "Model kesejahteraan Duri Kepa v1"
DEFAULT_BASE = 1_500_000
DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "household_size": {"1": 0.35, "2": 0.20, "3": 0.08, "4": 0.0, "5": -0.12, "6+": -0.25},
    "floor_area_pp": {"lt8": -0.25, "8_15": -0.10, "15_30": 0.0, "ge30": 0.20},
    "floor_material": {"ceramic": 0.12, "tile": 0.05, "cement": 0.0, "wood": -0.08, "bamboo": -0.15, "earth": -0.20},
    "wall_material": {"brick": 0.0, "plaster_bamboo": -0.08, "wood": -0.10, "bamboo": -0.15, "other": -0.18},
    "roof_material": {"concrete": 0.05, "clay_tile": 0.0, "metal": -0.05, "other": -0.10},
    "water_source": {"bottled": 0.05, "piped": 0.03, "pump": 0.0, "protected_well": -0.05, "unprotected": -0.12},
    "toilet": {"private": 0.0, "shared": -0.10, "public": -0.15, "none": -0.25},
    "lighting": {"pln_meter": 0.0, "pln_shared": -0.10, "non_pln": -0.20},
    "electricity_va": {"0": -0.20, "450": -0.15, "900": -0.05, "1300": 0.0, "2200": 0.12, "3500": 0.25},
    "cooking_fuel": {"electric": 0.10, "lpg_large": 0.08, "lpg_3kg": 0.0, "kerosene": -0.12, "wood": -0.20,
                     "none": -0.05},
    "house_ownership": {"owned": 0.05, "rented": 0.0, "free": -0.08, "official": 0.03, "other": -0.05},
    "asset_motorbike": {YES: 0.05},
    "asset_car": {YES: 0.30},
    "asset_refrigerator": {YES: 0.08},
    "asset_air_conditioner": {YES: 0.20},
    "asset_television": {YES: 0.05},
    "asset_computer": {YES: 0.12},
    "asset_smartphone": {YES: 0.04},
    "asset_gold": {YES: 0.10},
    "head_education": {"none": -0.20, "sd_incomplete": -0.15, "sd": -0.10, "smp": -0.05, "sma": 0.0,
                       "diploma": 0.12, "bachelor": 0.22, "postgraduate": 0.35},
    "head_work": {"employee": 0.05, "self_employed": 0.02, "casual": -0.10, "family_worker": -0.08,
                  "unemployed": -0.20, "homemaker": -0.10, "student": -0.05, "retired": -0.05, "na": -0.10},
    "workers": {"0": -0.15, "1": 0.0, "2+": 0.10},
    "children": {"0": 0.0, "1": -0.03, "2": -0.07, "3+": -0.12},
    "elderly": {"0": 0.0, "1": -0.03, "2+": -0.06},
    "disability": {YES: -0.08},
    "female_head": {YES: -0.05},
}


def default_rows() -> list[tuple[str, str, float]]:
    """Every (attribute, value, weight) of the catalogue with the default weight (0 when none)."""
    return [(a.code, v, DEFAULT_WEIGHTS.get(a.code, {}).get(v, 0.0)) for a in ATTRIBUTES for v, _label in a.values]


# --- Reading attribute values ---------------------------------------------------------------------

def cutoffs(today: dt.date) -> tuple[dt.date, dt.date]:
    """(born after this: a child under 15, born on or before this: 60 or older) for ``today``."""
    return _years_before(today, CHILD_AGE), _years_before(today, ELDERLY_AGE)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year: the birthday counts on 28 February
        return day.replace(year=day.year - years, day=28)


def _band(count: int, top: int) -> str:
    return f"{top}+" if count >= top else str(count)


def area_band(area_m2: int | None, size: int) -> str:
    if not area_m2 or size <= 0:
        return ""
    per_person = area_m2 / size
    if per_person < 8:
        return "lt8"
    if per_person < 15:
        return "8_15"
    if per_person < 30:
        return "15_30"
    return "ge30"


def people_values(*, area_m2: int | None, size: int, children: int, elderly: int, workers: int, disabled: int,
                  head_education: str | None, head_work: str | None, head_sex: str | None) -> tuple[str, ...]:
    """The people attributes' value codes, in PEOPLE_ORDER."""
    return (
        _band(size, 6) if size > 0 else "",
        area_band(area_m2, size),
        head_education or "",
        head_work or "",
        _band(workers, 2),
        _band(children, 3),
        _band(elderly, 2),
        YES if disabled else "",
        YES if head_sex == "P" else "",
    )


def housing_values(row: Iterable[Any]) -> tuple[str, ...]:
    """Value codes of HOUSING_FIELDS from the household's column values (VA as text)."""
    return tuple("" if v is None else str(v) for v in row)


def asset_values(flags: Iterable[Any]) -> tuple[str, ...]:
    return tuple(YES if f else "" for f in flags)


def household_values(household, members: Iterable, today: dt.date) -> dict[str, str]:
    """Every attribute's value code for one household and its active members (Python path)."""
    child_after, elderly_by = cutoffs(today)
    members = list(members)
    head = next((m for m in members if m.relation == "head"), None)
    people = people_values(
        area_m2=household.floor_area_m2, size=len(members),
        children=sum(1 for m in members if m.birth_date > child_after),
        elderly=sum(1 for m in members if m.birth_date <= elderly_by),
        workers=sum(1 for m in members if m.employment_status in WORKING),
        disabled=sum(1 for m in members if m.disability and m.disability != "none"),
        head_education=head.education if head else None, head_work=head.employment_status if head else None,
        head_sex=head.sex if head else None,
    )
    values = dict(zip(PEOPLE_ORDER, people, strict=True))
    values.update(zip(HOUSING_FIELDS, housing_values(getattr(household, f) for f in HOUSING_FIELDS), strict=True))
    values.update(zip(ASSET_CODES, asset_values(getattr(household, f) for f in ASSET_CODES), strict=True))
    return values


# --- The compiled model ---------------------------------------------------------------------------

class CompiledModel:
    """Weights of one model version as lookups, with a cache per group of values.

    Households share few distinct housing and asset combinations, so summing a group's weights
    once per distinct combination and then looking the sum up is much cheaper than a lookup per
    attribute per household (this is what keeps scoring 270,000 households to about a second).
    """

    def __init__(self, *, base_amount: int, weights: dict[tuple[str, str], float]) -> None:
        self.base = math.log(base_amount)
        self.weights = weights
        self._housing = self._group_sum(HOUSING_FIELDS)
        self._assets = self._group_sum(ASSET_CODES)
        self._people = self._group_sum(PEOPLE_ORDER)

    def _group_sum(self, codes: tuple[str, ...]) -> Callable[[tuple[str, ...]], float]:
        lookups = [{v: self.weights.get((code, v), 0.0) for v, _l in ATTRIBUTE_BY_CODE[code].values} for code in codes]
        cache: dict[tuple[str, ...], float] = {}

        def total(values: tuple[str, ...]) -> float:
            found = cache.get(values)
            if found is None:
                found = cache[values] = math.fsum(t.get(v, 0.0) for t, v in zip(lookups, values, strict=True))
            return found

        return total

    def score(self, housing: tuple[str, ...], assets: tuple[str, ...], people: tuple[str, ...]) -> float:
        return self.base + self._housing(housing) + self._assets(assets) + self._people(people)

    def weight(self, code: str, value: str) -> float:
        return self.weights.get((code, value), 0.0)


def per_capita(score: float) -> int:
    """The score (log Rupiah) as whole Rupiah, rounded to the nearest Rupiah."""
    return math.floor(math.exp(score) + 0.5)


def decile_of(rank: int, total: int) -> int:
    """Decile 1-10 of the ``rank``-th poorest (1-based) of ``total``, exactly as SQL's NTILE(10) splits.

    NTILE gives the first ``total % 10`` groups one household more than the others.
    """
    size, extra = divmod(total, 10)
    big = extra * (size + 1)  # households in the larger groups
    if rank <= big:
        return (rank - 1) // (size + 1) + 1
    return extra + (rank - big - 1) // size + 1
