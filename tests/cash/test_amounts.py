"""Entitlement amounts: flat per cycle, components per member with a cap, ages on the period start.

The rules are tested twice: as pure functions (bansos.cash.amounts) and through cycle_generate, which
must freeze exactly what the rules say for each participant.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansos.cash.amounts import Member, age_on, components_amount, member_components
from tests.cash.conftest import MARCH
from tests.factories import person

DAY = dt.date(2026, 3, 1)
UNITS = {"per_child_sd": 250_000, "per_child_smp": 300_000, "per_child_sma": 420_000, "per_pregnant": 200_000,
         "per_under_five": 150_000, "per_elderly": 300_000, "per_disability": 350_000}


def member(birth: dt.date, *, sex: str = "L", pregnant: bool = False, disability: str = "none",
           school: str = "") -> Member:
    return Member(birth, sex, pregnant, disability, school)


# --- Pure rules -----------------------------------------------------------------------------------


def test_it_counts_age_in_whole_years_on_the_day():
    assert age_on(dt.date(2021, 3, 1), DAY) == 5
    assert age_on(dt.date(2021, 3, 2), DAY) == 4
    assert age_on(dt.date(2020, 2, 29), dt.date(2026, 2, 28)) == 5
    assert age_on(dt.date(2020, 2, 29), DAY) == 6


@pytest.mark.parametrize(("birth", "school", "expected"), [
    (dt.date(2021, 3, 2), "", ["per_under_five"]),  # 4 on the period start
    (dt.date(2021, 3, 1), "", []),  # 5 on the period start
    (dt.date(2020, 3, 2), "enrolled", []),  # 5: too young for SD
    (dt.date(2020, 3, 1), "enrolled", ["per_child_sd"]),  # 6
    (dt.date(2013, 3, 2), "enrolled", ["per_child_sd"]),  # 12
    (dt.date(2013, 3, 1), "enrolled", ["per_child_smp"]),  # 13
    (dt.date(2010, 3, 2), "enrolled", ["per_child_smp"]),  # 15
    (dt.date(2010, 3, 1), "enrolled", ["per_child_sma"]),  # 16
    (dt.date(2007, 3, 2), "enrolled", ["per_child_sma"]),  # 18
    (dt.date(2007, 3, 1), "enrolled", []),  # 19: no school component any more
    (dt.date(2016, 1, 1), "dropped_out", []),
    (dt.date(2016, 1, 1), "never", []),
    (dt.date(2016, 1, 1), "finished", []),
    (dt.date(1966, 3, 1), "", ["per_elderly"]),  # 60 on the period start
    (dt.date(1966, 3, 2), "", []),  # 59
])
def test_it_places_a_member_by_age_on_the_period_start(birth, school, expected):
    assert member_components(member(birth, school=school), DAY) == expected


def test_it_counts_pregnancy_for_women_only_and_disability_of_any_kind():
    assert member_components(member(dt.date(1995, 1, 1), sex="P", pregnant=True), DAY) == ["per_pregnant"]
    assert member_components(member(dt.date(1995, 1, 1), sex="L", pregnant=True), DAY) == []
    assert member_components(member(dt.date(1995, 1, 1), disability="none"), DAY) == []
    assert member_components(member(dt.date(1995, 1, 1), disability=""), DAY) == []
    for kind in ("physical", "intellectual", "mental", "sensory", "multiple"):
        assert member_components(member(dt.date(1995, 1, 1), disability=kind), DAY) == ["per_disability"]
    # One person may count for several components.
    assert member_components(member(dt.date(1950, 1, 1), disability="sensory"), DAY) == [
        "per_elderly", "per_disability"]
    assert member_components(member(dt.date(2023, 1, 1), disability="physical"), DAY) == [
        "per_under_five", "per_disability"]


def test_it_does_not_count_a_child_born_after_the_period_start():
    assert member_components(member(dt.date(2026, 3, 2)), DAY) == []
    assert member_components(member(dt.date(2026, 3, 1)), DAY) == ["per_under_five"]


def test_it_adds_components_per_member_times_months():
    members = [member(dt.date(2016, 5, 5), school="enrolled"), member(dt.date(2017, 5, 5), school="enrolled"),
               member(dt.date(2023, 1, 1)), member(dt.date(1990, 1, 1))]
    total, breakdown = components_amount(UNITS, members, DAY, 3, None)
    assert breakdown == [
        {"code": "per_child_sd", "count": 2, "unit": 750_000, "amount": 1_500_000},
        {"code": "per_under_five", "count": 1, "unit": 450_000, "amount": 450_000},
    ]
    assert total == 1_950_000


def test_it_skips_components_the_scheme_does_not_pay():
    units = {**UNITS, "per_under_five": 0}
    total, breakdown = components_amount(units, [member(dt.date(2023, 1, 1))], DAY, 1, None)
    assert (total, breakdown) == (0, [])


def test_it_caps_the_household_per_month_of_the_cycle():
    members = [member(dt.date(2016, 5, 5), school="enrolled")] * 4  # 4 x 250,000 a month
    total, breakdown = components_amount(UNITS, members, DAY, 3, 800_000)
    assert total == 2_400_000
    assert breakdown[-1] == {"code": "cap", "count": 1, "unit": 2_400_000, "amount": -600_000}
    assert sum(item["amount"] for item in breakdown) == total
    # Under the cap nothing is cut.
    total, breakdown = components_amount(UNITS, members[:3], DAY, 1, 800_000)
    assert (total, [item["code"] for item in breakdown]) == (750_000, ["per_child_sd"])
    # Exactly at the cap nothing is cut either.
    total, breakdown = components_amount(UNITS, members[:3], DAY, 1, 750_000)
    assert (total, len(breakdown)) == (750_000, 1)


members_strategy = st.lists(st.builds(
    Member,
    birth_date=st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2026, 11, 1)),
    sex=st.sampled_from(["L", "P"]),
    pregnant=st.booleans(),
    disability=st.sampled_from(["none", "", "physical", "mental"]),
    school_enrolment=st.sampled_from(["", "enrolled", "dropped_out", "never"]),
), max_size=12)


@settings(max_examples=150, deadline=None)
@given(members=members_strategy, months=st.sampled_from([1, 3]),
       cap=st.one_of(st.none(), st.integers(min_value=1, max_value=3_000_000)),
       units=st.fixed_dictionaries({code: st.integers(min_value=0, max_value=2_000_000) for code in UNITS}))
def test_it_keeps_every_components_amount_a_whole_sum_of_its_breakdown(members, months, cap, units):
    total, breakdown = components_amount(units, members, DAY, months, cap)
    assert isinstance(total, int) and total >= 0
    assert total == sum(item["amount"] for item in breakdown)
    if cap is not None:
        assert total <= cap * months
    for item in breakdown:
        if item["code"] != "cap":
            assert item["unit"] == units[item["code"]] * months > 0
            assert 1 <= item["count"] <= len(members)
            assert item["amount"] == item["unit"] * item["count"]
    uncapped = sum(units[c] * months for m in members for c in member_components(m, DAY))
    assert total == (uncapped if cap is None else min(uncapped, cap * months))


# --- Through cycle generation ---------------------------------------------------------------------


def _generate(cast, program, period=MARCH):
    from bansos.cash.services.cycles import cycle_create, cycle_generate

    cycle = cycle_create(actor=cast["officer"], program=program, period_start=period)
    return cycle_generate(actor=cast["officer"], cycle=cycle)


def _big_family(family):
    """A household meeting every component once (ages on 1 March 2026), and members meeting none."""
    return family(
        person("Slamet Riyadi", "L", dt.date(1970, 6, 1), "head", disability="physical"),  # disability
        person("Wati Slamet", "P", dt.date(1990, 4, 10), "spouse", pregnant=True),  # pregnant
        person("Anak SD", "L", dt.date(2018, 2, 28), "child", school_enrolment="enrolled"),  # 8: SD
        person("Anak SMP", "P", dt.date(2013, 3, 1), "child", school_enrolment="enrolled"),  # 13: SMP
        person("Anak SMA", "L", dt.date(2009, 3, 2), "child", school_enrolment="enrolled"),  # 16: SMA
        person("Anak Kuliah", "P", dt.date(2007, 3, 1), "child", school_enrolment="enrolled"),  # 19: none
        person("Anak Putus", "L", dt.date(2014, 5, 5), "child", school_enrolment="dropped_out"),  # none
        person("Balita Kecil", "P", dt.date(2021, 3, 2), "child"),  # 4: under five
        person("Nenek Enam Puluh", "P", dt.date(1966, 3, 1), "parent"),  # 60: elderly
        person("Kakek Lima Sembilan", "L", dt.date(1966, 3, 2), "parent_in_law"),  # 59: none
    )


COMPONENT_SCHEME = {"amount_rule": "components", "flat_amount": 0, **UNITS}


@pytest.mark.django_db
def test_it_generates_component_amounts_per_member_on_the_period_start(cast, family, cash_program):
    from bansos.cash.models import Entitlement

    home = _big_family(family)
    program, _enrollments = cash_program([home], **COMPONENT_SCHEME)
    cycle = _generate(cast, program)
    entitlement = Entitlement.objects.get(cycle=cycle)
    assert entitlement.breakdown == [
        {"code": code, "count": 1, "unit": UNITS[code], "amount": UNITS[code]}
        for code in sorted(("per_child_sd", "per_child_smp", "per_child_sma", "per_disability", "per_elderly",
                            "per_pregnant", "per_under_five"))
    ]
    assert entitlement.amount == 1_970_000
    assert (entitlement.recipient_name, entitlement.recipient_nik) == (
        "SLAMET RIYADI", home.residents.get(relation="head").nik)
    assert cycle.generation_report == {"included": 1, "amount": 1_970_000, "excluded": {}}
    assert (cycle.planned_count, cycle.planned_amount) == (1, 1_970_000)


@pytest.mark.django_db
def test_it_pays_a_quarter_three_months_of_components_within_the_monthly_cap(cast, family, cash_program):
    from bansos.cash.models import Entitlement

    capped = _big_family(family)
    small = family(person("Ibu Tunggal", "P", dt.date(1985, 1, 1), "head"),
                   person("Bayi Satu", "L", dt.date(2025, 1, 1), "child"))
    program, _e = cash_program([capped, small], frequency="quarterly", household_cap=1_000_000, **COMPONENT_SCHEME)
    cycle = _generate(cast, program)
    assert (cycle.period_end, cycle.label) == (dt.date(2026, 5, 31), "Maret\u2013Mei 2026")
    big = Entitlement.objects.get(cycle=cycle, household=capped)
    assert big.amount == 3_000_000
    assert big.breakdown[-1] == {"code": "cap", "count": 1, "unit": 3_000_000, "amount": 3_000_000 - 5_910_000}
    assert sum(item["amount"] for item in big.breakdown) == big.amount
    baby = Entitlement.objects.get(cycle=cycle, household=small)
    assert (baby.amount, baby.breakdown) == (450_000, [
        {"code": "per_under_five", "count": 1, "unit": 450_000, "amount": 450_000}])
    assert cycle.planned_amount == 3_450_000


@pytest.mark.django_db
@pytest.mark.parametrize(("frequency", "start", "end", "label", "amount"), [
    ("monthly", dt.date(2026, 3, 1), dt.date(2026, 3, 31), "Maret 2026", 300_000),
    ("monthly", dt.date(2026, 12, 1), dt.date(2026, 12, 31), "Desember 2026", 300_000),
    ("quarterly", dt.date(2026, 11, 1), dt.date(2027, 1, 31), "November\u2013Januari 2027", 900_000),
    ("one_off", dt.date(2026, 3, 17), dt.date(2026, 3, 17), "17 Maret 2026", 300_000),
])
def test_it_pays_a_flat_amount_per_month_of_the_cycle(cast, cash_world, frequency, start, end, label, amount):
    from bansos.cash.models import Entitlement

    program, enrollments = cash_world(2, frequency=frequency)
    cycle = _generate(cast, program, start)
    assert (cycle.period_start, cycle.period_end, cycle.label) == (start, end, label)
    assert sorted(Entitlement.objects.filter(cycle=cycle).values_list("amount", "breakdown")) == [
        (amount, []), (amount, [])]
    assert cycle.generation_report == {"included": 2, "amount": 2 * amount, "excluded": {}}


@pytest.mark.django_db
def test_it_pays_a_person_program_for_the_participant_alone(cast, family, cash_program):
    from bansos.cash.models import Entitlement

    grandma_home = _big_family(family)
    grandma = grandma_home.residents.get(full_name__iexact="Nenek Enam Puluh")
    grandpa = grandma_home.residents.get(full_name__iexact="Kakek Lima Sembilan")  # 59: nothing due to him yet
    other = family(person("Opa Tujuh Puluh", "L", dt.date(1955, 7, 7), "head", disability="sensory"),
                   person("Cucu Balita", "P", dt.date(2024, 2, 2), "grandchild"))
    opa = other.residents.get(relation="head")
    program, enrollments = cash_program(
        [grandma_home, grandma_home, other], people=[grandma, grandpa, opa], frequency="quarterly",
        amount_rule="components", flat_amount=0, per_elderly=300_000, per_under_five=150_000,
        per_disability=100_000)
    cycle = _generate(cast, program)
    rows = {e.participant_id: e for e in Entitlement.objects.filter(cycle=cycle)}
    assert set(rows) == {grandma.pk, opa.pk}
    assert (rows[grandma.pk].amount, rows[grandma.pk].recipient_id, rows[grandma.pk].recipient_name) == (
        900_000, grandma.pk, "NENEK ENAM PULUH")
    assert rows[grandma.pk].recipient_nik == grandma.nik
    # The household's under-fives and the head's disability belong to the household, not to her.
    assert [item["code"] for item in rows[grandma.pk].breakdown] == ["per_elderly"]
    assert rows[opa.pk].amount == 1_200_000  # elderly and disability, not the grandchild
    assert cycle.generation_report == {"included": 2, "amount": 2_100_000, "excluded": {"zero_amount": 1}}


@pytest.mark.django_db
def test_it_leaves_out_households_whose_amount_is_zero(cast, family, cash_program):
    from bansos.cash.models import Entitlement

    nobody = family(person("Pemuda Lajang", "L", dt.date(1998, 1, 1), "head"))
    baby = family(person("Ibu Muda", "P", dt.date(1999, 1, 1), "head"),
                  person("Bayi Baru", "L", dt.date(2025, 9, 9), "child"))
    program, _e = cash_program([nobody, baby], amount_rule="components", flat_amount=0, per_under_five=150_000)
    cycle = _generate(cast, program)
    assert list(Entitlement.objects.filter(cycle=cycle).values_list("household_id", "amount")) == [
        (baby.pk, 150_000)]
    assert cycle.generation_report == {"included": 1, "amount": 150_000, "excluded": {"zero_amount": 1}}


@pytest.mark.django_db
def test_it_does_not_count_a_baby_born_after_the_period_began(cast, family, cash_program):
    """Generating March's cycle later in the year must not pay for a child born in April."""
    from bansos.cash.models import Entitlement

    home = family(person("Ibu Muda", "P", dt.date(1999, 1, 1), "head"),
                  person("Bayi April", "L", dt.date(2026, 4, 10), "child"),
                  person("Kakak Balita", "P", dt.date(2023, 4, 10), "child"))
    program, _e = cash_program([home], amount_rule="components", flat_amount=0, per_under_five=150_000)
    cycle = _generate(cast, program)
    assert Entitlement.objects.get(cycle=cycle).breakdown == [
        {"code": "per_under_five", "count": 1, "unit": 150_000, "amount": 150_000}]


@pytest.mark.django_db
def test_it_counts_only_active_members(cast, family, cash_program):
    from bansos.cash.models import Entitlement
    from bansos.registry.services import resident_set_status

    home = family(person("Kepala Keluarga", "L", dt.date(1980, 1, 1), "head"),
                  person("Balita Pindah", "P", dt.date(2023, 1, 1), "child"),
                  person("Balita Tinggal", "L", dt.date(2024, 1, 1), "child"))
    program, _e = cash_program([home], amount_rule="components", flat_amount=0, per_under_five=150_000)
    resident_set_status(actor=cast["admin"], resident=home.residents.get(full_name__iexact="Balita Pindah"),
                        status="moved_out", reason="ikut nenek ke Bogor")
    cycle = _generate(cast, program)
    assert Entitlement.objects.get(cycle=cycle).amount == 150_000
