"""The synthetic population: reproducible, valid identifiers, plausible families, the file contract."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter

import pytest

from bansos.demo.areas import layout_areas, plan_layout
from bansos.demo.generator import MESSY_KINDS, generate_households, write_households_csv
from bansos.registry.columns import HEADERS
from bansos.registry.identifiers import check_nik_matches, parse_kk, parse_nik
from bansos.registry.validation import Errors, check_household, check_resident

REFERENCE = dt.date(2026, 1, 1)
SIZE = 400


@pytest.fixture(scope="module")
def population():
    return list(generate_households(seed=7, count=SIZE, reference=REFERENCE))


def _age(born: dt.date) -> int:
    return REFERENCE.year - born.year - ((REFERENCE.month, REFERENCE.day) < (born.month, born.day))


def test_it_repeats_the_same_population_for_the_same_seed(population):
    again = list(generate_households(seed=7, count=SIZE, reference=REFERENCE))
    assert [(h.rw, h.rt, h.household, h.members) for h in again] == [
        (h.rw, h.rt, h.household, h.members) for h in population
    ]


def test_it_gives_another_population_for_another_seed(population):
    other = list(generate_households(seed=8, count=SIZE, reference=REFERENCE))
    assert [h.household["kk_number"] for h in other] != [h.household["kk_number"] for h in population]


def test_it_streams_a_prefix_of_the_same_population(population):
    first = list(generate_households(seed=7, count=10, reference=REFERENCE))
    assert [h.members for h in first] == [h.members for h in population[:10]]


def test_every_nik_is_valid_unique_and_agrees_with_sex_and_birth_date(population):
    niks = []
    for household in population:
        for person in household.members:
            info = parse_nik(person["nik"])
            check_nik_matches(info, sex=person["sex"], birth_date=person["birth_date"])
            niks.append(person["nik"])
    assert len(niks) == len(set(niks))


def test_most_niks_are_from_jakarta_and_some_from_elsewhere(population):
    provinces = Counter(p["nik"][:2] for h in population for p in h.members)
    total = sum(provinces.values())
    assert provinces["31"] / total > 0.75
    assert {"32", "33"} & set(provinces)


def test_every_kk_is_valid_unique_and_mostly_issued_in_kebon_jeruk(population):
    kks = [parse_kk(h.household["kk_number"]) for h in population]
    assert len(kks) == len(set(kks))
    assert sum(kk.startswith("317305") for kk in kks) / len(kks) > 0.85


def test_every_household_and_member_passes_the_registry_checks(population):
    for household in population:
        errors = Errors()
        check_household({**household.household, "rt": object()}, errors, today=REFERENCE)
        for person in household.members:
            check_resident(person, errors, today=REFERENCE)
        assert dict(errors) == {}, household
        assert [p["relation"] for p in household.members].count("head") == 1


def test_about_fifteen_percent_of_households_have_a_female_head(population):
    heads = [next(p for p in h.members if p["relation"] == "head") for h in population]
    share = sum(p["sex"] == "P" for p in heads) / len(heads)
    assert 0.10 <= share <= 0.20


def test_children_are_at_least_eighteen_years_younger_than_their_parents(population):
    for household in population:
        head = next(p for p in household.members if p["relation"] == "head")
        parents = [head] + [p for p in household.members if p["relation"] == "spouse"]
        for child in (p for p in household.members if p["relation"] == "child"):
            for parent in parents:
                assert _age(parent["birth_date"]) - _age(child["birth_date"]) >= 18


def test_only_women_of_seventeen_to_forty_five_are_pregnant(population):
    pregnant = [p for h in population for p in h.members if p["pregnant"]]
    assert pregnant, "a population of this size has some pregnancies"
    for person in pregnant:
        assert person["sex"] == "P"
        assert 17 <= _age(person["birth_date"]) <= 45


def test_disability_is_rare_but_present(population):
    people = [p for h in population for p in h.members]
    share = sum(p["disability"] != "none" for p in people) / len(people)
    assert 0.01 <= share <= 0.05


def test_incomes_are_skewed_and_housing_follows_income(population):
    incomes = sorted(h.household["monthly_income"] for h in population)
    median, mean = incomes[len(incomes) // 2], sum(incomes) / len(incomes)
    assert mean > median  # a long right tail
    poorer, richer = incomes[len(incomes) // 4], incomes[3 * len(incomes) // 4]
    low = [h.household for h in population if h.household["monthly_income"] <= poorer]
    high = [h.household for h in population if h.household["monthly_income"] >= richer]

    def share(rows, test):
        return sum(1 for r in rows if test(r)) / len(rows)

    assert share(high, lambda r: r["floor_material"] == "ceramic") > share(low, lambda r: r["floor_material"] == "ceramic")
    assert share(high, lambda r: r["asset_refrigerator"]) > share(low, lambda r: r["asset_refrigerator"])


def test_households_spread_over_every_rt_of_the_layout():
    areas = layout_areas(400)
    population = list(generate_households(seed=3, count=400, areas=areas, reference=REFERENCE))
    assert {(h.rw, h.rt) for h in population} == set(areas)


def test_the_layout_keeps_rts_between_80_and_160_families():
    layout = plan_layout(20000)
    assert sorted(layout) == list(range(1, 18))
    rts = sum(layout.values())
    assert 80 <= 20000 / rts <= 160
    assert all(8 <= count <= 16 for count in layout.values())
    assert plan_layout(50) == {rw: 1 for rw in range(1, 18)}


@pytest.mark.django_db
def test_the_csv_has_the_contract_headers_and_one_row_per_resident(tmp_path):
    path = tmp_path / "keluarga.csv"
    summary = write_households_csv(path, households=30, seed=5)
    population = list(generate_households(seed=5, count=30))
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == HEADERS
    assert summary.rows == len(rows) - 1 == sum(len(h.members) for h in population)
    assert summary.households == 30
    first = dict(zip(HEADERS, rows[1], strict=True))
    head = population[0].members[0]
    assert first["nik"] == head["nik"]
    assert first["tanggal_lahir"] == head["birth_date"].strftime("%d-%m-%Y")
    assert first["jenis_kelamin"] in ("Laki-laki", "Perempuan")
    assert first["hubungan"] == "Kepala keluarga"
    assert first["rt"] == str(population[0].rt) and first["rw"] == str(population[0].rw)
    assert sum(summary.messy.values()) == 0


@pytest.mark.django_db
def test_messy_rows_carry_the_listed_defects(tmp_path):
    path = tmp_path / "kotor.csv"
    summary = write_households_csv(path, households=60, seed=5, messy_fraction=0.5)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [dict(zip(HEADERS, r, strict=True)) for r in list(csv.reader(handle))[1:]]
    assert set(summary.messy) == set(MESSY_KINDS)
    assert all(summary.messy[kind] > 0 for kind in MESSY_KINDS)
    assert sum(1 for r in rows if "E+" in r["nik"]) == summary.messy["nik_scientific"]
    assert sum(1 for r in rows if r["nama_lengkap"] == "") == summary.messy["missing_name"]
    assert sum(1 for r in rows if r["nik"].startswith("'")) == summary.messy["apostrophe"]
