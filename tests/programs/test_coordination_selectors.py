"""The coordination figures: overlap matrix, concentration, exclusion and similar benefits, on both databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bansos.programs.models import Enrollment, Program
from bansos.programs.selectors import coordination as sel
from tests.factories import make_household


def enrol(program, household, state="active", resident=None):
    """An enrollment in ``state`` written directly: these tests are about reading, not the workflow."""
    return Enrollment.objects.create(program=program, household=household, state=state, resident=resident)


def score(household, decile):
    from bansos.welfare.models import HouseholdWelfare, WelfareModel

    model = WelfareModel.objects.order_by("pk").first() or WelfareModel.objects.create(
        version=1, name="Uji", status="published", base_amount=1)
    HouseholdWelfare.objects.create(household=household, model=model, per_capita=400_000 + decile,
                                    score=12.0 + decile / 10, decile=decile, rank=decile, computed_at=timezone.now())


@pytest.fixture
def world(cast, areas, make_program):
    """Programs of two agencies and households in two RWs with known combinations of programs.

    rw1:  h1 (RT 1) BLT + Yayasan cash          h2 (RT 2) BLT + Yayasan cash + Jahit + Lansia (4)
          h3 (RT 1) BLT only                    h4 (RT 2) nothing received (applied, graduated only)
    rw2:  h5 BLT + Lansia (same agency, same kind: not "similar")      h6 nothing at all
    """
    admin = cast["admin"]
    hh = cast["households"]
    h1, h2, h5 = hh["rw1"], hh["rw1_rt2"], hh["rw2"]
    h3 = make_household(actor=admin, rt=areas["rt1"], head_name="Ahmad Fauzi")
    h4 = make_household(actor=admin, rt=areas["rt2"], head_name="Rina Marlina", female_head=True)
    h6 = make_household(actor=admin, rt=areas["rt3"], head_name="Bambang Wijaya")
    blt = make_program("dinsos", name="BLT Kelurahan", kind="cash")
    yayasan = make_program("lsm", name="Bantuan Tunai Yayasan", kind="cash")
    jahit = make_program("lsm", name="Pelatihan Menjahit", kind="training", participant="resident")
    lansia = make_program("dinsos", name="Bantuan Lansia", kind="cash")
    for h in (h1, h2, h3, h5):
        enrol(blt, h)
    enrol(yayasan, h1, "approved")
    enrol(yayasan, h2, "suspended")
    head, spouse = list(h2.residents.order_by("pk"))[:2]
    enrol(jahit, h2, resident=head)
    enrol(jahit, h2, resident=spouse)  # two members of one family: still one household
    enrol(lansia, h2)
    enrol(lansia, h5)
    enrol(yayasan, h4, "applied")  # not receiving
    enrol(lansia, h4, "graduated")  # not receiving any more
    enrol(jahit, h3, "rejected")
    return {"h1": h1, "h2": h2, "h3": h3, "h4": h4, "h5": h5, "h6": h6,
            "blt": blt, "yayasan": yayasan, "jahit": jahit, "lansia": lansia}


def _cells(matrix) -> dict[tuple[str, str], int]:
    names = [p.name for p in matrix["programs"]]
    return {(row.program.name, names[j]): n for row in matrix["rows"] for j, n in enumerate(row.cells)}


def test_it_counts_households_receiving_each_pair_of_programs(world):
    matrix = sel.coordination_matrix()
    # Kind first, then name: the three cash programs, then the training.
    assert [p.name for p in matrix["programs"]] == [
        "BLT Kelurahan", "Bantuan Lansia", "Bantuan Tunai Yayasan", "Pelatihan Menjahit"]
    cells = _cells(matrix)
    assert cells["BLT Kelurahan", "BLT Kelurahan"] == 4
    assert cells["BLT Kelurahan", "Bantuan Tunai Yayasan"] == 2
    assert cells["Bantuan Tunai Yayasan", "BLT Kelurahan"] == 2
    assert cells["BLT Kelurahan", "Bantuan Lansia"] == 2
    assert cells["Pelatihan Menjahit", "Pelatihan Menjahit"] == 1
    assert cells["Pelatihan Menjahit", "Bantuan Lansia"] == 1
    assert cells["Bantuan Tunai Yayasan", "Bantuan Tunai Yayasan"] == 2  # the applied one does not count
    assert [row.receiving for row in matrix["rows"]] == [4, 2, 2, 1]
    assert [(t["count"], t["a"].name, t["b"].name) for t in matrix["top_pairs"]][:2] == [
        (2, "BLT Kelurahan", "Bantuan Lansia"), (2, "BLT Kelurahan", "Bantuan Tunai Yayasan")]


def test_it_leaves_out_households_that_left_the_registry(world, cast):
    from bansos.registry.models import Household

    Household.objects.filter(pk=world["h3"].pk).update(status="moved")
    cells = _cells(sel.coordination_matrix())
    assert cells["BLT Kelurahan", "BLT Kelurahan"] == 3
    concentration = sel.coordination_concentration()
    assert concentration["total"].households == 5


def test_it_groups_households_by_number_of_programs_per_rw(world, areas):
    c = sel.coordination_concentration()
    rows = {row.rw.number: row for row in c["rows"]}
    assert rows[1].counts == [1, 1, 1, 0, 1]  # h4 none, h3 one, h1 two, h2 four
    assert rows[1].households == 4
    assert rows[2].counts == [1, 0, 1, 0, 0]  # h6 none, h5 two
    assert c["total"].counts == [2, 1, 2, 0, 1]
    assert (c["total"].households, c["total"].receiving) == (6, 4)
    assert rows[1].many_share == 25.0


def test_it_finds_poor_households_without_any_program(world):
    score(world["h4"], 1)  # poor, only applied/graduated: excluded
    score(world["h6"], 3)  # poor, nothing: excluded
    score(world["h3"], 2)  # poor, receives BLT
    score(world["h1"], 4)  # not in deciles 1-3
    x = sel.coordination_exclusion()
    rows = {row.rw.number: row for row in x["rows"]}
    assert (rows[1].poor, rows[1].excluded, rows[1].share) == (2, 1, 50.0)
    assert (rows[2].poor, rows[2].excluded) == (1, 1)
    assert (x["total"].poor, x["total"].excluded) == (3, 2)
    assert x["scored"] is True
    households = list(sel.coordination_excluded_households())
    assert [h.pk for h in households] == [world["h4"].pk, world["h6"].pk]  # poorest first
    assert households[0].head_name == "RINA MARLINA"
    rw2 = world["h6"].rt.rw
    assert [h.pk for h in sel.coordination_excluded_households(rw=rw2)] == [world["h6"].pk]


def test_it_says_when_no_household_has_a_score(world):
    x = sel.coordination_exclusion()
    assert (x["scored"], x["total"].poor, x["total"].excluded) == (False, 0, 0)


def test_it_counts_the_same_kind_of_help_from_another_agency(world):
    rows = {r["program"].name: r for r in sel.coordination_similar()}
    # h1 and h2 get cash from Dinsos (BLT) and from the Yayasan; h5's BLT + Lansia are one agency's.
    assert (rows["BLT Kelurahan"]["receiving"], rows["BLT Kelurahan"]["similar"]) == (4, 2)
    assert rows["BLT Kelurahan"]["share"] == 50.0
    assert (rows["Bantuan Tunai Yayasan"]["receiving"], rows["Bantuan Tunai Yayasan"]["similar"]) == (2, 2)
    assert (rows["Bantuan Lansia"]["receiving"], rows["Bantuan Lansia"]["similar"]) == (2, 1)  # h2 only
    assert rows["Pelatihan Menjahit"]["similar"] == 0


def test_it_lists_households_with_four_or_more_programs(world):
    households = list(sel.coordination_many_households())
    assert [(h.pk, h.programs) for h in households] == [(world["h2"].pk, 4)]
    assert households[0].head_name == "SRI WAHYUNI"
    programs = sel.households_programs(households)
    assert [p.name for p in programs[world["h2"].pk]] == [
        "BLT Kelurahan", "Bantuan Lansia", "Bantuan Tunai Yayasan", "Pelatihan Menjahit"]
    assert list(sel.coordination_many_households(rw=world["h5"].rt.rw)) == []
    assert [h.pk for h in sel.coordination_many_households(minimum=2)] == [
        world["h2"].pk, world["h1"].pk, world["h5"].pk]


def test_it_reads_program_ids_beyond_one_mask_column(world):
    """Programs whose ids fall in different 62-bit mask columns (and on bit 61) are decoded exactly."""
    moved = {}
    for key, new_id in (("blt", 61), ("yayasan", 62 * 3 + 5), ("lansia", 62 * 3 + 61)):
        old = world[key]
        clone = Program.objects.get(pk=old.pk)  # a copy under the new id takes over the enrollments
        clone.pk = new_id
        clone.save(force_insert=True)
        Enrollment.objects.filter(program_id=old.pk).update(program_id=new_id)
        moved[key] = new_id
    cells = _cells(sel.coordination_matrix())
    assert cells["BLT Kelurahan", "BLT Kelurahan"] == 4
    assert cells["BLT Kelurahan", "Bantuan Tunai Yayasan"] == 2
    assert cells["Bantuan Lansia", "Bantuan Tunai Yayasan"] == 1
    assert cells["Pelatihan Menjahit", "Bantuan Lansia"] == 1
    sets = sel.receiving_sets()
    assert sets.sets[frozenset({moved["blt"], moved["yayasan"], moved["lansia"], world["jahit"].pk})] == 1


def test_it_computes_the_page_in_a_fixed_number_of_queries(world, make_program):
    with CaptureQueriesContext(connection) as before:
        sel.coordination_overview()
    extra = make_program("lsm", name="Kesehatan Ibu", kind="health", participant="resident")
    enrol(extra, world["h6"], resident=world["h6"].residents.first())
    with CaptureQueriesContext(connection) as after:
        overview = sel.coordination_overview()
    assert len(before.captured_queries) == len(after.captured_queries) == 7
    assert len(overview["matrix"]["programs"]) == 5


def test_it_shows_nothing_when_no_one_receives_a_program(cast):
    overview = sel.coordination_overview()
    assert overview["matrix"]["programs"] == []
    assert overview["similar"] == []
    assert overview["concentration"]["total"].counts == [3, 0, 0, 0, 0]
