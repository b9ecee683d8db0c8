"""The SQL shapes behind member and decile conditions (``eligibility.sql``): one per database, same answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bansos.eligibility import engine
from bansos.eligibility.predicates import CATALOG, member_exists
from bansos.eligibility.sql import MemberMatch, member_match, merge_members
from bansos.registry.models import Household, Resident
from bansos.welfare.models import HouseholdWelfare
from tests.eligibility.test_property import REFERENCE_DATES, _store, household

pytestmark = pytest.mark.django_db

REF = dt.date(2025, 8, 17)
MEMBER_KEYS = sorted(key for key, p in CATALOG.items() if key.startswith("has_") or key == "female_head")


def _is(key: str, value: bool = True) -> dict:
    return {"p": key, "op": "is", "value": value}


def _sql(expression: dict) -> str:
    clean, errors = engine.expression_validate(expression)
    assert errors == {}
    return str(engine.eligible_households(clean, REF).query)


def test_it_merges_member_conditions_under_one_or_into_one_subquery():
    sql = _sql({"any": [_is("has_under_five"), _is("has_pregnant"), {"p": "dtsen_decile", "op": "lte", "value": 3},
                        {"p": "head_employment", "op": "in", "value": ["self_employed"]}]})
    assert sql.count('"registry_resident"') == 1


def test_it_keeps_negated_and_anded_member_conditions_apart():
    assert _sql({"any": [_is("has_under_five", False), _is("has_pregnant")]}).count('"registry_resident"') == 2
    assert _sql({"all": [_is("has_under_five"), _is("has_pregnant")]}).count('"registry_resident"') == 2


def test_it_reads_any_member_or_a_member_condition_as_any_member():
    merged = merge_members([member_exists(Q()), member_exists(Q(pregnant=True))])
    assert len(merged) == 1
    assert not member_match(merged[0]).condition  # the empty condition: every active member counts


def test_it_leaves_a_lone_member_condition_as_it_is():
    parts = [member_exists(Q(pregnant=True)), Q(dtsen_decile__lte=3)]
    assert merge_members(parts) == parts
    assert isinstance(member_match(parts[0]), MemberMatch)


def test_it_uses_in_on_sqlite_and_exists_elsewhere():
    sql = _sql({"all": [_is("has_elderly"), {"p": "welfare_decile", "op": "between", "value": [1, 4]}]})
    if connection.vendor == "sqlite":
        assert "EXISTS" not in sql and sql.count('"registry_household"."id" IN (SELECT') == 2
    else:
        assert sql.count("EXISTS") == 2


def test_it_works_inside_another_query(areas):
    from bansos.welfare.models import WelfareModel

    model = WelfareModel.objects.create(version=99, name="uji", base_amount=1_000_000)
    young = {"relation": "head", "sex": "P", "birth_date": dt.date(1990, 1, 1), "pregnant": True,
             "disability": "none", "school_enrolment": "", "employment_status": "", "status": "active"}
    base = {"status": "active", "monthly_income": None, "dtsen_decile": None, "floor_area_m2": None}
    met = _store(areas, model, base, [young], 2, "rt1")
    _store(areas, model, base, [young], 9, "rt1")  # decile too high
    _store(areas, model, base, [{**young, "pregnant": False}], 2, "rt2")  # not pregnant
    clean, _errors = engine.expression_validate(
        {"all": [{"any": [_is("has_under_five"), _is("has_pregnant")]},
                 {"p": "welfare_decile", "op": "between", "value": [1, 4]}]})
    inner = engine.eligible_households(clean, REF)
    assert list(inner.values_list("pk", flat=True)) == [met.pk]
    outer = Household.objects.filter(pk__in=inner.values("pk")).exclude(rt__number=99)
    assert list(outer.values_list("pk", flat=True)) == [met.pk]
    # Inside a query over another table, the conditions still refer to the rule's households.
    members = Resident.objects.filter(household__in=inner)
    assert list(members.values_list("household_id", flat=True)) == [met.pk]
    scores = HouseholdWelfare.objects.filter(household_id__in=inner.values("pk"))
    assert list(scores.values_list("household_id", flat=True)) == [met.pk]


member_leaf = st.builds(_is, st.sampled_from(MEMBER_KEYS), st.booleans())
member_expressions = st.recursive(
    member_leaf,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=2, max_size=4)),
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=8,
)


@pytest.mark.django_db(transaction=False)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_it_agrees_with_the_explanation_when_member_conditions_merge(areas, data):
    from bansos.welfare.models import WelfareModel

    reference = data.draw(REFERENCE_DATES)
    registry = data.draw(st.lists(household(reference), min_size=1, max_size=6))
    clean, errors = engine.expression_validate(data.draw(member_expressions))
    assert errors == {}
    with transaction.atomic():
        model = WelfareModel.objects.first() or WelfareModel.objects.create(version=99, name="uji",
                                                                           base_amount=1_000_000)
        stored = [_store(areas, model, *item) for item in registry]
        bulk = set(engine.eligible_households(clean, reference).values_list("pk", flat=True))
        single = {h.pk for h in stored if engine.evaluate(clean, engine.facts_load(h.pk, reference))}
        assert bulk == single, engine.describe(clean)
        transaction.set_rollback(True)
