from __future__ import annotations

import datetime as dt

import pytest

from bansos.core.errors import PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent
from bansos.eligibility import engine, selectors, services
from bansos.eligibility.models import EligibilityRule, RuleRun, RuleRunMember, RuleVersion, RunStatus
from bansos.registry.models import Resident
from tests.eligibility.conftest import BLT

pytestmark = pytest.mark.django_db


def _counts():
    return (EligibilityRule.objects.count(), RuleVersion.objects.count(), RuleRun.objects.count(),
            AuditEvent.objects.count())


def test_it_creates_an_officers_rule_for_the_officers_agency(cast, agencies):
    rule = services.rule_create(actor=cast["officer"], name=" BLT ", expression=BLT)
    assert (rule.name, rule.agency, rule.status) == ("BLT", agencies["dinsos"], "draft")
    assert list(rule.versions.values_list("number", "expression")) == [(1, BLT)]
    event = AuditEvent.objects.get(action="eligibility.rule_create")
    assert event.changes["expression"] == [None, "Ada balita DAN Penghasilan keluarga per bulan paling banyak Rp 3.000.000"]


def test_it_refuses_an_officer_writing_for_another_agency(cast, agencies):
    before = _counts()
    with pytest.raises(PermissionDeniedError):
        services.rule_create(actor=cast["officer"], name="X", agency=agencies["lsm"], expression=BLT)
    assert _counts() == before


@pytest.mark.parametrize("who", ["surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_rule_management_to_roles_without_it(cast, who, rules):
    before = _counts()
    with pytest.raises(PermissionDeniedError):
        services.rule_create(actor=cast[who], name="X", expression=BLT)
    with pytest.raises(PermissionDeniedError):
        services.rule_version_save(actor=cast[who], rule=rules["kelurahan"], expression=BLT)
    with pytest.raises(PermissionDeniedError):
        services.rule_run_start(actor=cast[who], rule=rules["kelurahan"])
    assert _counts() == before


def test_it_refuses_an_officer_editing_another_agencys_or_the_kelurahans_rule(cast, rules):
    before = _counts()
    new = {"all": [{"p": "has_elderly", "op": "is", "value": True}]}
    for rule in (rules["other"], rules["kelurahan"]):
        with pytest.raises(PermissionDeniedError):
            services.rule_version_save(actor=cast["officer"], rule=rule, expression=new)
        with pytest.raises(PermissionDeniedError):
            services.rule_status_set(actor=cast["officer"], rule=rule, status="active")
        with pytest.raises(PermissionDeniedError):
            services.rule_run_start(actor=cast["officer"], rule=rule)
    assert _counts() == before
    assert rules["other"].versions.get().expression == {"all": [{"p": "female_head", "op": "is", "value": True}]}


def test_it_lets_the_admin_edit_any_rule(cast, rules):
    new = {"all": [{"p": "has_elderly", "op": "is", "value": True}]}
    version = services.rule_version_save(actor=cast["admin"], rule=rules["other"], expression=new)
    assert (version.number, version.expression) == (2, new)


def test_it_keeps_versions_immutable_and_skips_an_unchanged_save(cast, rules):
    rule = rules["own"]
    same = services.rule_version_save(actor=cast["officer"], rule=rule, expression=BLT)
    assert same.number == 1
    new = {"any": [{"p": "has_pregnant", "op": "is", "value": True}]}
    v2 = services.rule_version_save(actor=cast["officer"], rule=rule, expression=new)
    assert v2.number == 2
    assert list(rule.versions.order_by("number").values_list("expression", flat=True)) == [BLT, new]


def test_it_refuses_a_bad_value_naming_the_predicate_and_changes_nothing(cast, rules):
    before = _counts()
    bad = {"all": [{"p": "welfare_decile", "op": "between", "value": [5, 2]},
                   {"p": "monthly_income", "op": "lte", "value": "banyak"}]}
    with pytest.raises(ValidationFailed) as caught:
        services.rule_version_save(actor=cast["officer"], rule=rules["own"], expression=bad)
    assert caught.value.errors == {
        "expression.0.0": ["Desil kesejahteraan: batas bawah 5 lebih besar dari batas atas 2."],
        "expression.0.1": ["Penghasilan keluarga per bulan: nilai “banyak” bukan bilangan bulat."],
    }
    assert _counts() == before


def test_it_runs_a_rule_and_compares_with_the_previous_run(cast, rules, django_capture_on_commit_callbacks):
    rule = rules["own"]
    households = cast["households"]
    # Budi's (RW 1) and Joko's (RW 2) families have a child born in 2023; Sri's has no under-five.
    with django_capture_on_commit_callbacks(execute=True):
        run = services.rule_run_start(actor=cast["officer"], rule=rule, reference_date=dt.date(2025, 8, 17))
    run.refresh_from_db()
    assert (run.status, run.eligible_count, run.stored, run.percent) == (RunStatus.DONE, 2, 2, 100)
    assert set(RuleRunMember.objects.filter(run=run).values_list("household_id", flat=True)) == {
        households["rw1"].pk, households["rw2"].pk}
    assert selectors.run_counts_per_rw(run) == [{"rw": 1, "count": 1}, {"rw": 2, "count": 1}]
    assert selectors.run_compare(run) is None

    # A baby is born in Sri's family; Budi's family earns more.
    from tests.factories import person

    Resident.objects.create(household=households["rw1_rt2"], name_key="BAYI",
                            **person("Bayi", "L", dt.date(2025, 6, 1), "child"))
    households["rw1"].monthly_income = 9_000_000
    households["rw1"].save()
    services.rule_version_save(actor=cast["officer"], rule=rule, expression=BLT)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.rule_run_start(actor=cast["officer"], rule=rule, reference_date=dt.date(2025, 8, 17))
    second.refresh_from_db()
    comparison = selectors.run_compare(second)
    assert (comparison.previous.pk, comparison.newly, comparison.no_longer, comparison.still) == (run.pk, 1, 1, 1)
    assert AuditEvent.objects.filter(action="eligibility.run").count() == 2


def test_it_shows_run_households_to_the_admin_and_scoped_ones_to_others(cast, rules,
                                                                     django_capture_on_commit_callbacks):
    rule = rules["kelurahan"]
    services.rule_version_save(actor=cast["admin"], rule=rule,
                               expression={"all": [{"p": "household_size", "op": "gte", "value": 1}]})
    with django_capture_on_commit_callbacks(execute=True):
        run = services.rule_run_start(actor=cast["admin"], rule=rule)
    assert selectors.run_households(user=cast["admin"], run=run).count() == 3
    assert selectors.run_households(user=cast["officer"], run=run).count() == 0


def test_it_lists_the_rules_a_household_meets(cast, rules):
    services.rule_status_set(actor=cast["officer"], rule=rules["own"], status="active")
    services.rule_status_set(actor=cast["officer_other"], rule=rules["other"], status="active")
    met = selectors.household_rules_met(household=cast["households"]["rw1"], reference_date=dt.date(2025, 8, 17))
    assert [m["rule"].name for m in met] == ["BLT Dinsos"]
    met = selectors.household_rules_met(household=cast["households"]["rw1_rt2"], reference_date=dt.date(2025, 8, 17))
    assert [m["rule"].name for m in met] == ["Pelatihan LSM"]


def test_it_explains_in_indonesian_with_values(cast):
    facts = engine.facts_load(cast["households"]["rw2"].pk, dt.date(2025, 8, 17))
    tree = engine.explain({"all": [{"p": "welfare_decile", "op": "between", "value": [1, 4]},
                                   {"p": "monthly_income", "op": "lte", "value": 3_000_000}]}, facts)
    assert [c["text"] for c in tree["children"]] == [
        "Desil kesejahteraan belum ada skor — syarat: 1 sampai 4 — tidak terpenuhi",
        "Penghasilan keluarga per bulan Rp 2.500.000 — syarat: paling banyak Rp 3.000.000 — terpenuhi",
    ]
    assert tree["met"] is False


def test_bench_rules_counts_every_program(cast):
    from bansos.eligibility import bench_rules

    assert bench_rules(programs=5) == 0  # no welfare scores yet: every bench rule needs a decile
