"""The predicate catalog: every condition a rule can use, in one registry.

Each predicate knows its Indonesian label, the operators and value kind it takes, how to build a
``Q`` over Household for bulk evaluation by the database, and how to compute the value(s) for one
household from facts fetched in a few queries (for the explanation). The two halves must agree;
the property-based tests check that they do on random registries and random rules.

Every ``Q`` here is two-valued: comparisons on nullable columns carry an explicit ``IS NOT NULL``
and related data goes through ``eligibility.sql.HasRow`` (EXISTS or IN over a never-NULL household
id), so ``NOT`` never meets SQL's unknown and a household without a value is simply "not met",
exactly as in Python.

Ages are compared through birth-date cut-offs computed in Python (``age_cutoff``), never with SQL
date functions, which differ between SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from bansos.core.formats import age_on, rupiah
from bansos.eligibility.sql import HasRow, MemberMatch
from bansos.registry.models import (
    ASSET_FIELDS,
    CookingFuel,
    ElectricityVA,
    EmploymentStatus,
    FloorMaterial,
    Lighting,
    Ownership,
    Relation,
    ResidentStatus,
    RoofMaterial,
    SchoolEnrolment,
    Sex,
    Toilet,
    WallMaterial,
    WaterSource,
)
from bansos.registry.models.household import ELDERLY_AGE, SCHOOL_AGES, UNDER_FIVE_AGE, YOUTH_AGES

TRUE = Q(pk__isnull=False)
FALSE = Q(pk__in=[])

# Value kinds: what the "value" of a predicate node holds.
NUMBER = "number"  # an integer (or [low, high] for "between")
MONEY = "money"  # integer Rupiah (or [low, high])
BOOL = "bool"  # true / false
CHOICE = "choice"  # a non-empty list of codes
IDS = "ids"  # a non-empty list of integer ids typed by hand (programs)

NUMBER_OPS = ("between", "lte", "gte", "eq")
OP_LABELS = {
    "between": _("antara"),
    "lte": _("paling banyak"),
    "gte": _("paling sedikit"),
    "eq": _("sama dengan"),
    "is": _("adalah"),
    "in": _("salah satu dari"),
}


@dataclass
class Facts:
    """What the explanation needs about one household, fetched in a handful of queries."""

    household: dict[str, Any]  # column values of the household row, plus "rw_number"
    members: list[dict[str, Any]]  # active members' column values
    welfare_decile: int | None
    reference_date: dt.date
    program_ids: frozenset[int] = frozenset()

    @property
    def head(self) -> dict[str, Any] | None:
        return next((m for m in self.members if m["relation"] == Relation.HEAD), None)

    def ages(self) -> list[tuple[dict[str, Any], int]]:
        return [(m, age_on(m["birth_date"], self.reference_date)) for m in self.members]


@dataclass(frozen=True)
class Predicate:
    key: str
    label: Any  # lazy Indonesian text
    group: Any
    kind: str
    ops: tuple[str, ...]
    q: Callable[[str, Any, dt.date], Q]
    actual: Callable[[Facts], Any]  # the household's value; None when unknown
    choices: Callable[[], list[tuple[Any, str]]] | None = None
    minimum: int = 0
    maximum: int | None = None
    # Compare the actual value with the condition; default handles numbers, bools and lists.
    test: Callable[[str, Any, Any], bool] | None = None
    # Text of the actual value for the explanation; default formats by kind.
    show: Callable[[Any], str] | None = None
    note: Any = ""

    def matches(self, op: str, value: Any, actual: Any) -> bool:
        if self.test is not None:
            return self.test(op, value, actual)
        return compare(op, value, actual)


def compare(op: str, value: Any, actual: Any) -> bool:
    if actual is None:
        return False
    if op == "between":
        return value[0] <= actual <= value[1]
    if op == "lte":
        return actual <= value
    if op == "gte":
        return actual >= value
    if op == "eq":
        return actual == value
    if op == "is":
        return bool(actual) is bool(value)
    if op == "in":
        return actual in value
    raise ValueError(op)


def number_q(column: str, op: str, value: Any, *, nullable: bool) -> Q:
    """``column`` compared with ``value``, never unknown: a null column is simply not met."""
    base = Q(**{f"{column}__isnull": False}) if nullable else Q()
    if op == "between":
        return base & Q(**{f"{column}__gte": value[0], f"{column}__lte": value[1]})
    lookup = {"lte": "lte", "gte": "gte", "eq": "exact"}[op]
    return base & Q(**{f"{column}__{lookup}": value})


def expression_compare(lhs, op: str, value: Any, scale=None) -> Q:
    """A comparison between two SQL expressions (rhs = value * scale when scale is given)."""

    def rhs(v):
        if scale is None:
            return Value(v)
        return ExpressionWrapper(scale * Value(v), output_field=BigIntegerField())

    if op == "between":
        return Q(GreaterThanOrEqual(lhs, rhs(value[0]))) & Q(LessThanOrEqual(lhs, rhs(value[1])))
    if op == "lte":
        return Q(LessThanOrEqual(lhs, rhs(value)))
    if op == "gte":
        return Q(GreaterThanOrEqual(lhs, rhs(value)))
    return Q(Exact(lhs, rhs(value)))


# --- Members ------------------------------------------------------------------------------------


def age_cutoff(reference: dt.date, years: int) -> dt.date:
    """The latest birth date of someone at least ``years`` old on ``reference``.

    29 February falls back to 28 February in a common year, which is what ``age_on`` does too:
    a person born on 29 February 2020 is not yet one on 28 February 2021.
    """
    try:
        return reference.replace(year=reference.year - years)
    except ValueError:
        return reference.replace(year=reference.year - years, day=28)


def age_q(reference: dt.date, low: int | None = None, high: int | None = None) -> Q:
    """Members aged ``low`` to ``high`` (inclusive) on ``reference``, as a filter on Resident."""
    q = Q()
    if low is not None:
        q &= Q(birth_date__lte=age_cutoff(reference, low))
    if high is not None:
        q &= Q(birth_date__gt=age_cutoff(reference, high + 1))
    return q


def _active_members():
    from bansos.registry.models import Resident

    return Resident.objects.filter(household_id=OuterRef("pk"), status=ResidentStatus.ACTIVE)


def member_exists(condition: Q) -> Q:
    # One shape per database (eligibility.sql); several under one OR merge into one (engine).
    return Q(MemberMatch(condition))


def _member_count():
    return Subquery(
        _active_members().order_by().values("household_id").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def _bool_member(condition: Callable[[dt.date], Q], check: Callable[[dict, int], bool]):
    """A yes/no predicate "has a member who ...": (q builder, actual function)."""

    def q(op, value, ref):
        found = member_exists(condition(ref))
        return found if value else ~found

    def actual(facts: Facts):
        return sum(1 for m, age in facts.ages() if check(m, age))

    return q, actual


def _bool_test(op, value, actual) -> bool:
    # Member predicates give a count, household flags a bool; "yes" means at least one.
    return actual is not None and bool(actual) is bool(value)


def _count_show(noun):
    def show(actual):
        if not actual:
            return str(_("tidak ada"))
        return f"{_('ada')} {actual} {noun}"

    return show


def _in_age(m, age, low, high):
    return age is not None and low <= age <= high


# --- Household columns ------------------------------------------------------------------------


def _column(name: str, *, nullable: bool):
    def q(op, value, ref):
        return number_q(name, op, value, nullable=nullable)

    def actual(facts: Facts):
        return facts.household.get(name)

    return q, actual


def _choice_column(name: str, *, nullable: bool = False):
    def q(op, value, ref):
        base = Q(**{f"{name}__isnull": False}) if nullable else Q()
        return base & Q(**{f"{name}__in": list(value)})

    def actual(facts: Facts):
        return facts.household.get(name)

    return q, actual


def _enum_choices(enum) -> Callable[[], list[tuple[Any, str]]]:
    return lambda: [(v, str(label)) for v, label in enum.choices]


def _welfare_model():
    from bansos.registry.models import Household

    try:
        return Household._meta.get_field("welfare").related_model
    except FieldDoesNotExist:
        return None


def _welfare_q(op, value, ref):
    model = _welfare_model()
    if model is None:
        return FALSE  # the welfare app has no scores yet: nobody meets a decile condition
    scores = model.objects.filter(decile__isnull=False)
    if op == "between":
        scores = scores.filter(decile__gte=value[0], decile__lte=value[1])
    else:
        scores = scores.filter(**{f"decile__{ {'lte': 'lte', 'gte': 'gte', 'eq': 'exact'}[op] }": value})
    return Q(HasRow(scores))


def _per_capita_q(op, value, ref):
    # income / members <op> value  <=>  income <op> value * members, in integers (members > 0).
    return (
        Q(monthly_income__isnull=False)
        & member_exists(Q())
        & expression_compare(F("monthly_income"), op, value, scale=_member_count())
    )


def _per_capita_actual(facts: Facts):
    income = facts.household.get("monthly_income")
    if income is None or not facts.members:
        return None
    return Fraction(income, len(facts.members))


def _size_q(op, value, ref):
    return expression_compare(Coalesce(_member_count(), Value(0)), op, value)


def _head_employment_q(op, value, ref):
    return member_exists(Q(relation=Relation.HEAD, employment_status__in=list(value)))


def _head_employment_actual(facts: Facts):
    head = facts.head
    return head["employment_status"] if head else None


def _program_q(op, value, ref):
    # Lazy import: the programs app builds on eligibility, not the other way round.
    from django.db.models import Exists

    from bansos.programs.models import RECEIVING_STATES, Enrollment

    receiving = Enrollment.objects.filter(household=OuterRef("pk"), program_id__in=list(value),
                                          state__in=RECEIVING_STATES)
    return Q(Exists(receiving))


def _program_actual(facts: Facts):
    return facts.program_ids


def _program_test(op, value, actual) -> bool:
    return bool(set(value) & set(actual or ()))


def _decile_show(actual):
    return str(actual) if actual is not None else str(_("belum ada skor"))


def _rw_choices():
    from bansos.core.models import RW

    return [(n, f"RW {n:02d}") for n in RW.objects.order_by("number").values_list("number", flat=True)]


def _rt_choices():
    from bansos.core.models import RT

    return [(pk, f"RT {rt:03d}/RW {rw:03d}") for pk, rt, rw in
            RT.objects.order_by("rw__number", "number").values_list("pk", "number", "rw__number")]


def _show_money(actual) -> str:
    if actual is None:
        return str(_("belum diisi"))
    if isinstance(actual, Fraction):
        return rupiah(int(actual))  # shown rounded down; compared exactly
    return rupiah(actual)


CATALOG: dict[str, Predicate] = {}


def register(predicate: Predicate) -> Predicate:
    CATALOG[predicate.key] = predicate
    return predicate


G_RANK = _("Peringkat & penghasilan")
G_GROUPS = _("Kelompok sasaran")
G_AREA = _("Wilayah")
G_HOUSING = _("Rumah & aset")
G_PROGRAMS = _("Program")

register(Predicate(
    "welfare_decile", _("Desil kesejahteraan"), G_RANK, NUMBER, NUMBER_OPS, _welfare_q,
    lambda f: f.welfare_decile, minimum=1, maximum=10, show=_decile_show,
    note=_("Skor model kesejahteraan kelurahan sendiri; keluarga tanpa skor tidak memenuhi syarat ini."),
))
_q, _a = _column("dtsen_decile", nullable=True)
register(Predicate("dtsen_decile", _("Desil DTSEN"), G_RANK, NUMBER, NUMBER_OPS, _q, _a, minimum=1, maximum=10,
                   show=lambda v: str(v) if v is not None else str(_("tidak diketahui"))))
_q, _a = _column("monthly_income", nullable=True)
register(Predicate("monthly_income", _("Penghasilan keluarga per bulan"), G_RANK, MONEY, NUMBER_OPS, _q, _a,
                   show=_show_money))
register(Predicate("per_capita_income", _("Penghasilan per kapita per bulan"), G_RANK, MONEY, NUMBER_OPS,
                   _per_capita_q, _per_capita_actual, show=_show_money,
                   note=_("Penghasilan keluarga dibagi jumlah anggota aktif.")))
register(Predicate("household_size", _("Jumlah anggota keluarga"), G_RANK, NUMBER, NUMBER_OPS, _size_q,
                   lambda f: len(f.members), minimum=0, maximum=50))

_q, _a = _bool_member(lambda ref: Q(relation=Relation.HEAD, sex=Sex.FEMALE),
                      lambda m, age: m["relation"] == Relation.HEAD and m["sex"] == Sex.FEMALE)
register(Predicate("female_head", _("Kepala keluarga perempuan"), G_GROUPS, BOOL, ("is",), _q, _a, test=_bool_test,
                   show=lambda v: str(_("ya")) if v else str(_("tidak"))))
_q, _a = _bool_member(lambda ref: age_q(ref, high=UNDER_FIVE_AGE - 1),
                      lambda m, age: _in_age(m, age, 0, UNDER_FIVE_AGE - 1))
register(Predicate("has_under_five", _("Ada balita"), G_GROUPS, BOOL, ("is",), _q, _a, test=_bool_test,
                   show=_count_show(_("balita"))))
_q, _a = _bool_member(lambda ref: Q(pregnant=True), lambda m, age: bool(m["pregnant"]))
register(Predicate("has_pregnant", _("Ada anggota hamil"), G_GROUPS, BOOL, ("is",), _q, _a, test=_bool_test,
                   show=_count_show(_("ibu hamil"))))
_q, _a = _bool_member(lambda ref: age_q(ref, low=ELDERLY_AGE), lambda m, age: age is not None and age >= ELDERLY_AGE)
register(Predicate("has_elderly", _("Ada lansia (60+)"), G_GROUPS, BOOL, ("is",), _q, _a, test=_bool_test,
                   show=_count_show(_("lansia"))))
_q, _a = _bool_member(lambda ref: ~Q(disability__in=["", "none"]),
                      lambda m, age: m["disability"] not in ("", "none"))
register(Predicate("has_disability", _("Ada penyandang disabilitas"), G_GROUPS, BOOL, ("is",), _q, _a,
                   test=_bool_test, show=_count_show(_("penyandang disabilitas"))))
_q, _a = _bool_member(
    lambda ref: age_q(ref, SCHOOL_AGES[0], SCHOOL_AGES[1]) & ~Q(school_enrolment=SchoolEnrolment.ENROLLED),
    lambda m, age: _in_age(m, age, *SCHOOL_AGES) and m["school_enrolment"] != SchoolEnrolment.ENROLLED,
)
register(Predicate("has_school_age_not_enrolled", _("Ada anak usia sekolah (7-18) tidak bersekolah"), G_GROUPS,
                   BOOL, ("is",), _q, _a, test=_bool_test, show=_count_show(_("anak"))))
_q, _a = _bool_member(lambda ref: age_q(ref, SCHOOL_AGES[0], SCHOOL_AGES[1]),
                      lambda m, age: _in_age(m, age, *SCHOOL_AGES))
register(Predicate("has_school_age", _("Ada anak usia sekolah (7-18)"), G_GROUPS, BOOL, ("is",), _q, _a,
                   test=_bool_test, show=_count_show(_("anak"))))
_q, _a = _bool_member(lambda ref: age_q(ref, *YOUTH_AGES), lambda m, age: _in_age(m, age, *YOUTH_AGES))
register(Predicate("has_youth", _("Ada pemuda (16-30)"), G_GROUPS, BOOL, ("is",), _q, _a, test=_bool_test,
                   show=_count_show(_("pemuda"))))
register(Predicate("head_employment", _("Status pekerjaan kepala keluarga"), G_GROUPS, CHOICE, ("in",),
                   _head_employment_q, _head_employment_actual, choices=_enum_choices(EmploymentStatus)))

register(Predicate("rw", _("RW"), G_AREA, CHOICE, ("in",), lambda op, v, ref: Q(rt__rw__number__in=list(v)),
                   lambda f: f.household["rw_number"], choices=_rw_choices))
register(Predicate("rt", _("RT"), G_AREA, CHOICE, ("in",), lambda op, v, ref: Q(rt_id__in=list(v)),
                   lambda f: f.household["rt_id"], choices=_rt_choices))

for _name, _label, _enum in (
    ("floor_material", _("Jenis lantai"), FloorMaterial),
    ("wall_material", _("Jenis dinding"), WallMaterial),
    ("roof_material", _("Jenis atap"), RoofMaterial),
    ("water_source", _("Sumber air minum"), WaterSource),
    ("toilet", _("Fasilitas BAB"), Toilet),
    ("lighting", _("Sumber penerangan"), Lighting),
    ("cooking_fuel", _("Bahan bakar memasak"), CookingFuel),
    ("house_ownership", _("Status rumah"), Ownership),
):
    _q, _a = _choice_column(_name)
    register(Predicate(_name, _label, G_HOUSING, CHOICE, ("in",), _q, _a, choices=_enum_choices(_enum)))
_q, _a = _choice_column("electricity_va", nullable=True)
register(Predicate("electricity_va", _("Daya listrik"), G_HOUSING, CHOICE, ("in",), _q, _a,
                   choices=_enum_choices(ElectricityVA)))
_q, _a = _column("floor_area_m2", nullable=True)
register(Predicate("floor_area_m2", _("Luas lantai (m²)"), G_HOUSING, NUMBER, NUMBER_OPS, _q, _a, minimum=1,
                   maximum=5000))
for _name, _label in ASSET_FIELDS:
    def _asset(name):
        return (lambda op, v, ref: Q(**{name: bool(v)})), (lambda f: f.household[name])

    _q, _a = _asset(_name)
    register(Predicate(_name, _label, G_HOUSING, BOOL,
                       ("is",), _q, _a, show=lambda v: str(_("ya")) if v else str(_("tidak"))))

register(Predicate(
    "program_member", _("Peserta program"), G_PROGRAMS, IDS, ("in",), _program_q, _program_actual,
    test=_program_test, show=lambda v: ", ".join(str(i) for i in sorted(v)) if v else str(_("tidak ada")),
    note=_("Nomor program (lihat katalog program). Terpenuhi bila keluarga sedang menerima salah satunya: "
           "disetujui, aktif atau ditangguhkan."),
))

HOUSEHOLD_COLUMNS = (
    "id", "status", "rt_id", "monthly_income", "dtsen_decile", "floor_area_m2", "floor_material", "wall_material",
    "roof_material", "water_source", "toilet", "lighting", "electricity_va", "cooking_fuel", "house_ownership",
    *(name for name, _label in ASSET_FIELDS),
)
MEMBER_COLUMNS = ("household_id", "relation", "sex", "birth_date", "pregnant", "disability", "school_enrolment",
                  "employment_status")
