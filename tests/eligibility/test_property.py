"""The key test of the rule engine: the database's bulk answer and the one-household explanation agree.

Random small registries (members with birthdays right around the age cut-offs, missing incomes,
no welfare score, moved households) and random expression trees over the whole catalog.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bansos.core.formats import age_on
from bansos.eligibility import engine
from bansos.eligibility.predicates import BOOL, CATALOG, IDS, MONEY, NUMBER, age_cutoff
from bansos.registry.models import (
    ASSET_FIELDS,
    Household,
    Resident,
)

pytestmark = pytest.mark.django_db(transaction=False)

_serial = itertools.count(1)

REFERENCE_DATES = st.sampled_from([
    dt.date(2025, 8, 17), dt.date(2024, 2, 29), dt.date(2025, 3, 1), dt.date(2025, 1, 1), dt.date(2023, 12, 31),
])
AGES = st.sampled_from([0, 1, 4, 5, 6, 7, 15, 16, 18, 19, 30, 31, 45, 59, 60, 61, 80])


@st.composite
def member(draw, reference: dt.date, relation: str):
    age = draw(AGES)
    # Birthdays exactly on, one day before and one day after the reference date's anniversary.
    shift = draw(st.sampled_from([-1, 0, 1, 37, -200]))
    birth = age_cutoff(reference, age) + dt.timedelta(days=shift)
    birth = min(birth, reference)
    sex = draw(st.sampled_from(["L", "P"]))
    return {
        "relation": relation,
        "sex": sex,
        "birth_date": birth,
        "pregnant": sex == "P" and draw(st.booleans()),
        "disability": draw(st.sampled_from(["none", "none", "physical", "sensory"])),
        "school_enrolment": draw(st.sampled_from(["", "enrolled", "dropped_out", "never"])),
        "employment_status": draw(st.sampled_from(["", "self_employed", "employee", "unemployed", "casual"])),
        "status": draw(st.sampled_from(["active", "active", "active", "moved_out"])),
    }


@st.composite
def household(draw, reference: dt.date):
    data = {
        "status": draw(st.sampled_from(["active", "active", "active", "moved"])),
        "monthly_income": draw(st.one_of(st.none(), st.sampled_from([0, 500_000, 1_000_000, 1_500_000, 3_000_000]))),
        "dtsen_decile": draw(st.one_of(st.none(), st.integers(1, 10))),
        "floor_area_m2": draw(st.one_of(st.none(), st.sampled_from([10, 36, 72]))),
        "floor_material": draw(st.sampled_from(["", "ceramic", "cement", "earth"])),
        "electricity_va": draw(st.one_of(st.none(), st.sampled_from([0, 450, 900, 1300]))),
        "cooking_fuel": draw(st.sampled_from(["", "lpg_3kg", "wood"])),
        **{name: draw(st.booleans()) for name, _label in ASSET_FIELDS},
    }
    size = draw(st.integers(0, 4))
    members = [draw(member(reference, "head" if i == 0 else "child")) for i in range(size)]
    decile = draw(st.one_of(st.none(), st.integers(1, 10)))
    rt = draw(st.sampled_from(["rt1", "rt2", "rt3"]))
    return data, members, decile, rt


def _number_value(draw, predicate, op):
    if predicate.kind == MONEY:
        pool = st.sampled_from([0, 250_000, 375_000, 500_000, 750_000, 1_000_000, 1_500_000, 3_000_000])
    elif predicate.maximum is not None and predicate.maximum <= 10:
        pool = st.integers(predicate.minimum, predicate.maximum)
    elif predicate.key == "household_size":
        pool = st.integers(0, 5)
    else:
        pool = st.sampled_from([10, 36, 50, 72])
    if op == "between":
        a, b = draw(pool), draw(pool)
        return [min(a, b), max(a, b)]
    return draw(pool)


@st.composite
def leaf(draw):
    key = draw(st.sampled_from(sorted(CATALOG)))
    predicate = CATALOG[key]
    op = draw(st.sampled_from(predicate.ops))
    if predicate.kind in (NUMBER, MONEY):
        value = _number_value(draw, predicate, op)
    elif predicate.kind == BOOL:
        value = draw(st.booleans())
    elif predicate.kind == IDS:
        value = [draw(st.integers(1, 5))]
    else:
        codes = [code for code, _label in predicate.choices()]
        value = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True))
    return {"p": key, "op": op, "value": value}


expressions = st.recursive(
    leaf(),
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=8,
)


def _store(areas, welfare_model, data, members, decile, rt):
    from bansos.welfare.models import HouseholdWelfare

    household = Household.objects.create(
        kk_number=f"3173050203{next(_serial):06d}", rt=areas[rt], address="Jl. Uji", **data
    )
    for i, m in enumerate(members):
        Resident.objects.create(
            household=household, nik=f"31730501019{next(_serial):05d}", full_name=f"Warga {i}", name_key="WARGA",
            **m,
        )
    if decile is not None:
        HouseholdWelfare.objects.create(
            household=household, model=welfare_model, per_capita=500_000, score=13.1, decile=decile, rank=1,
            computed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        )
    return household


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_it_agrees_between_bulk_and_single_household_evaluation(areas, data):
    from bansos.welfare.models import WelfareModel

    reference = data.draw(REFERENCE_DATES)
    registry = data.draw(st.lists(household(reference), min_size=1, max_size=6))
    expression = data.draw(expressions)
    clean, errors = engine.expression_validate(expression)
    assert errors == {}
    with transaction.atomic():
        welfare_model = WelfareModel.objects.first() or WelfareModel.objects.create(
            version=99, name="uji", base_amount=1_000_000)
        stored = [_store(areas, welfare_model, *item) for item in registry]
        bulk = set(engine.eligible_households(clean, reference).values_list("pk", flat=True))
        single = {h.pk for h in stored if engine.evaluate(clean, engine.facts_load(h.pk, reference))}
        assert bulk == single, engine.describe(clean)
        transaction.set_rollback(True)


@pytest.mark.parametrize("age", [0, 1, 4, 5, 17, 18, 59, 60])
@pytest.mark.parametrize("reference", [dt.date(2024, 2, 29), dt.date(2025, 2, 28), dt.date(2025, 3, 1)])
def test_it_puts_the_age_cutoff_where_age_on_changes(age, reference):
    cutoff = age_cutoff(reference, age)
    assert age_on(cutoff, reference) >= age
    assert age_on(cutoff + dt.timedelta(days=1), reference) == age - 1
