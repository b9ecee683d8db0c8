"""The whole-registry rescoring (SQL, ``welfare.sql``) agrees with the one-household Python path.

Random small registries (members with birthdays around the child and elderly cut-offs, households
without members, attributes not surveyed yet) scored with random weights, including zeros.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bansos.registry.models import Household, Resident
from bansos.registry.models.choices import (
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
from bansos.welfare import services
from bansos.welfare.features import (
    ASSET_CODES,
    HOUSING_FIELDS,
    PEOPLE_ORDER,
    CompiledModel,
    cutoffs,
    decile_of,
    household_values,
    per_capita,
    valid_pairs,
)
from bansos.welfare.models import HouseholdWelfare, ModelStatus, WelfareCoefficient, WelfareModel

pytestmark = pytest.mark.django_db(transaction=False)

_serial = itertools.count(1)


def _codes(enum) -> list[str]:
    return ["", *(str(v) for v in enum.values)]


@st.composite
def member(draw, today: dt.date, head: bool):
    child_after, elderly_by = cutoffs(today)
    around = draw(st.sampled_from([child_after, elderly_by, dt.date(1990, 6, 1), dt.date(2020, 1, 1)]))
    birth = min(around + dt.timedelta(days=draw(st.sampled_from([-1, 0, 1]))), today)
    return {
        "relation": "head" if head else draw(st.sampled_from(["child", "spouse", "parent"])),
        "sex": draw(st.sampled_from(["L", "P"])),
        "birth_date": birth,
        "education": draw(st.sampled_from(_codes(Education))),
        "employment_status": draw(st.sampled_from(_codes(EmploymentStatus))),
        "disability": draw(st.sampled_from(["none", "none", "physical", "mental"])),
        "status": draw(st.sampled_from(["active", "active", "active", "moved_out"])),
    }


@st.composite
def household(draw, today: dt.date):
    data = {
        "status": draw(st.sampled_from(["active", "active", "active", "moved"])),
        "floor_area_m2": draw(st.one_of(st.none(), st.sampled_from([7, 8, 15, 29, 30, 45, 120]))),
        "floor_material": draw(st.sampled_from(_codes(FloorMaterial))),
        "wall_material": draw(st.sampled_from(_codes(WallMaterial))),
        "roof_material": draw(st.sampled_from(_codes(RoofMaterial))),
        "water_source": draw(st.sampled_from(_codes(WaterSource))),
        "toilet": draw(st.sampled_from(_codes(Toilet))),
        "lighting": draw(st.sampled_from(_codes(Lighting))),
        "electricity_va": draw(st.one_of(st.none(), st.sampled_from([0, 450, 900, 1300, 2200, 3500]))),
        "cooking_fuel": draw(st.sampled_from(_codes(CookingFuel))),
        "house_ownership": draw(st.sampled_from(_codes(Ownership))),
        **{name: draw(st.booleans()) for name in ASSET_CODES},
    }
    size = draw(st.integers(0, 7))
    return data, [draw(member(today, i == 0)) for i in range(size)]


WEIGHTS = st.one_of(st.just(0.0), st.sampled_from([-0.25, -0.1, 0.05, 0.2]),
                    st.floats(-2, 2, allow_nan=False).map(lambda w: round(w, 4)))


def _store(areas, data, members):
    found = Household.objects.create(kk_number=f"3173050203{next(_serial):06d}", rt=areas["rt1"],
                                     address="Jl. Uji", **data)
    for i, m in enumerate(members):
        Resident.objects.create(household=found, nik=f"31730501019{next(_serial):05d}", full_name=f"Warga {i}",
                                name_key="WARGA", **m)
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_it_scores_ranks_and_splits_deciles_as_the_python_path(areas, data):
    today = timezone.localdate()
    registry = data.draw(st.lists(household(today), min_size=1, max_size=14))
    pairs = sorted(valid_pairs())
    weights = {pair: data.draw(WEIGHTS) for pair in pairs}
    base = data.draw(st.sampled_from([100_000, 1_500_000, 7_777_777]))
    with transaction.atomic():
        WelfareModel.objects.update(status=ModelStatus.RETIRED)
        model = WelfareModel.objects.create(version=900 + next(_serial), name="uji", base_amount=base,
                                            status=ModelStatus.PUBLISHED, published_at=timezone.now())
        WelfareCoefficient.objects.bulk_create(
            WelfareCoefficient(model=model, attribute=a, value=v, weight=w) for (a, v), w in weights.items())
        stored = [_store(areas, *item) for item in registry]
        services.welfare_rescore_all(actor=None)

        compiled = CompiledModel(base_amount=base, weights=weights)
        rows = {w.household_id: w for w in HouseholdWelfare.objects.filter(household__in=stored)}
        active = [h for h in stored if h.status == "active"]
        assert set(rows) == {h.pk for h in active}
        for h in active:
            members = list(Resident.objects.filter(household=h, status="active"))
            values = household_values(h, members, today)
            expected = compiled.score(tuple(values[f] for f in HOUSING_FIELDS), tuple(values[f] for f in ASSET_CODES),
                                      tuple(values[f] for f in PEOPLE_ORDER))
            assert rows[h.pk].score == pytest.approx(expected, abs=1e-9), values
            assert rows[h.pk].per_capita == per_capita(rows[h.pk].score)
            assert rows[h.pk].model_id == model.pk
        ranked = list(HouseholdWelfare.objects.order_by("score", "household_id").values_list("rank", "decile"))
        total = len(ranked)
        assert ranked == [(i, decile_of(i, total)) for i in range(1, total + 1)]
        transaction.set_rollback(True)


def test_it_scores_when_every_band_of_a_count_weighs_the_same(areas):
    """A banded count whose bands all weigh the same is one constant (a CASE without WHEN is not SQL)."""
    today = timezone.localdate()
    weights = {pair: (0.2 if pair[0] == "workers" else 0.0) for pair in sorted(valid_pairs())}
    with transaction.atomic():
        WelfareModel.objects.update(status=ModelStatus.RETIRED)
        model = WelfareModel.objects.create(version=900 + next(_serial), name="uji", base_amount=1_500_000,
                                            status=ModelStatus.PUBLISHED, published_at=timezone.now())
        WelfareCoefficient.objects.bulk_create(
            WelfareCoefficient(model=model, attribute=a, value=v, weight=w) for (a, v), w in weights.items())

        def head(work):
            return {"relation": "head", "sex": "P", "birth_date": today.replace(year=today.year - 40),
                    "education": "", "employment_status": work, "disability": "none", "status": "active"}

        idle = _store(areas, {"status": "active"}, [head("unemployed")])
        working = _store(areas, {"status": "active"}, [head("employee")])
        services.welfare_rescore_all(actor=None)
    scores = dict(HouseholdWelfare.objects.filter(household__in=[idle, working]).values_list("household_id", "score"))
    assert scores[idle.pk] == pytest.approx(scores[working.pk])
