"""The import's machinery for large files: the parsing process, the bulk look-ups and inserts.

Small files are parsed in the importing process; these tests force the forked parser
(PIPELINE_MIN_BYTES = 0) and check that it changes nothing about the outcome, and that what goes
wrong on its side arrives here as the same errors.
"""

from __future__ import annotations

import gc

import pytest
from django.db import transaction

from bansos.demo.generator import write_households_csv
from bansos.registry.importing import ImportFileError, engine, import_file, pipeline
from bansos.registry.importing.bulk import index_lookups, reserve_ids, values_among
from bansos.registry.importing.parsing import Parser
from bansos.registry.models import Household, Resident
from bansos.registry.services import household_set_status
from bansos.registry.validation import HOUSEHOLD_FIELDS, RESIDENT_FIELDS
from tests.registry.importhelpers import family, report_rows, write_csv

pytestmark = [
    pytest.mark.skipif(not pipeline.can_fork(), reason="the parsing process needs fork() (POSIX)"),
]
# On PostgreSQL a forked import also writes from a thread of its own (engine._write_behind), on a
# connection of its own: these tests commit their data so that connection sees it.
writes_behind = pytest.mark.django_db(transaction=True)

AREAS = [(1, 1), (1, 2), (2, 1), (9, 9)]  # RW 9 / RT 9 does not exist: some rows are rejected


def _messy_file(path, households=60):
    return write_households_csv(path, households=households, seed=5, messy_fraction=0.3, areas=AREAS)


def _forked(monkeypatch, forked: bool, chunk_rows: int = 40):
    monkeypatch.setattr(engine, "PIPELINE_MIN_BYTES", 0 if forked else 1 << 60)
    monkeypatch.setattr(engine, "CHUNK_ROWS", chunk_rows)


@pytest.mark.django_db
def test_the_forked_parser_reports_exactly_what_parsing_here_does(cast, tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    written = _messy_file(path)
    outcomes = []
    for forked in (False, True):
        _forked(monkeypatch, forked)
        report = tmp_path / f"r-{forked}.csv"
        summary = import_file(path=path, actor=cast["admin"], dry_run=True, report_path=report)
        outcomes.append((summary.as_dict(), report_rows(report)))
    assert outcomes[0] == outcomes[1]
    summary, report = outcomes[1]
    assert summary["rows"] == written.rows == summary["stored"] + summary["updated"] + summary["rejected"]
    assert 0 < summary["rejected"] < summary["rows"]
    assert len(report) == written.rows


@writes_behind
def test_the_forked_parser_stores_the_rows_and_a_second_run_changes_nothing(cast, tmp_path, monkeypatch):
    _forked(monkeypatch, True)
    path = tmp_path / "a.csv"
    _messy_file(path)
    before = Resident.objects.count()
    first = import_file(path=path, actor=cast["admin"])
    assert first.stored > 0
    assert Resident.objects.count() == before + first.stored
    again = import_file(path=path, actor=cast["admin"])
    assert (again.stored, again.updated, again.unchanged, again.rejected) == (
        0, first.stored, first.stored, first.rejected)


@writes_behind
def test_a_file_broken_half_way_stops_with_its_reason_and_keeps_the_whole_chunks_before(cast, tmp_path, monkeypatch):
    _forked(monkeypatch, True, chunk_rows=3)
    rows = family() + family()
    path = write_csv(tmp_path / "a.csv", rows)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('"' + "x" * 200_000 + '"\n')  # a cell past the CSV reader's limit
    with pytest.raises(ImportFileError) as caught:
        import_file(path=path, actor=cast["admin"])
    assert "Berkas tidak dapat dibaca" in caught.value.text
    assert "baris 8:" in caught.value.text  # header, six rows, then the broken one
    # The first household was a whole chunk, written before the broken row was read; the second
    # was still being collected. Running the repaired file again completes the import.
    assert Resident.objects.filter(nik__in=[r["nik"] for r in rows[:3]], status="active").count() == 3
    assert not Resident.objects.filter(nik__in=[r["nik"] for r in rows[3:]]).exists()


@writes_behind
def test_a_failure_in_the_parsing_process_is_raised_here_with_its_traceback(cast, tmp_path, monkeypatch):
    _forked(monkeypatch, True, chunk_rows=3)
    rows = family() + family()
    path = write_csv(tmp_path / "a.csv", rows)
    original = Parser.parse

    def parse(self, number, cells):
        if number == 6:
            raise RuntimeError("parser bug on row 6")
        return original(self, number, cells)

    monkeypatch.setattr(Parser, "parse", parse)
    with pytest.raises(pipeline.ParserCrashed, match="parser bug on row 6"):
        import_file(path=path, actor=cast["admin"])
    # The first household (rows 2-4) was a whole chunk and stays; nothing of the second.
    assert Resident.objects.filter(nik__in=[r["nik"] for r in rows[:3]]).count() == 3
    assert not Resident.objects.filter(nik__in=[r["nik"] for r in rows[3:]]).exists()


@pytest.mark.django_db
def test_a_moved_household_with_the_same_kk_is_not_mistaken_for_the_active_one(cast, tmp_path):
    old = cast["households"]["rw2"]
    household_set_status(actor=cast["admin"], household=old, status="moved", reason="pindah")
    rows = family(old.kk_number)
    summary = import_file(path=write_csv(tmp_path / "a.csv", rows), actor=cast["admin"])
    assert (summary.stored, summary.households_created) == (3, 1)
    assert Household.objects.filter(kk_number=old.kk_number).count() == 2
    assert Household.objects.get(kk_number=old.kk_number, status="active").residents.count() == 3


@pytest.mark.django_db
def test_values_among_answers_like_the_orm_in(cast):
    households = list(Household.objects.all())
    kks = [h.kk_number for h in households] + ["3173050203159999"]
    fields = ["id", *[f if f != "rt" else "rt_id" for f in HOUSEHOLD_FIELDS]]
    with transaction.atomic(), index_lookups():
        found = values_among(Household.objects.all(), "kk_number", kks, fields)
        niks = list(Resident.objects.values_list("nik", flat=True)) + ["3173051708789999"]
        resident_fields = ["id", "household_id", "household__kk_number", *RESIDENT_FIELDS]
        residents = values_among(Resident.objects.filter(status="active"), "nik", niks, resident_fields)
        heads = values_among(Resident.objects.filter(relation="head"), "household", [h.pk for h in households],
                             ["household_id", "full_name"])
    by_id = sorted
    assert by_id(found, key=lambda v: v["id"]) == list(Household.objects.order_by("id").values(*fields))
    assert by_id(residents, key=lambda v: v["id"]) == list(
        Resident.objects.filter(status="active").order_by("id").values(*resident_fields))
    assert sorted(h["full_name"] for h in heads) == ["BUDI SANTOSO", "JOKO SUSILO", "SRI WAHYUNI"]
    assert values_among(Household.objects.all(), "kk_number", [], fields) == []


@pytest.mark.django_db
def test_reserved_ids_are_new(cast):
    highest = Household.objects.order_by("-id").values_list("id", flat=True)[0]
    with transaction.atomic():
        ids = reserve_ids(Household, 3)
    assert len(set(ids)) == 3
    assert min(ids) > highest


@pytest.mark.django_db
def test_the_import_restores_the_garbage_collector_as_it_was(cast, tmp_path):
    before = gc.get_threshold()
    import_file(path=write_csv(tmp_path / "a.csv", family()), actor=cast["admin"])
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


@writes_behind
def test_an_import_stopped_here_stops_the_parsing_process_and_can_be_completed(cast, tmp_path, monkeypatch):
    import multiprocessing

    _forked(monkeypatch, True, chunk_rows=3)
    rows = family() + family() + family()
    path = write_csv(tmp_path / "a.csv", rows)
    original = engine._Importer._apply
    calls = {"n": 0}

    def crash_on_second(self, plan):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return original(self, plan)

    monkeypatch.setattr(engine._Importer, "_apply", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        import_file(path=path, actor=cast["admin"])
    assert multiprocessing.active_children() == []
    monkeypatch.setattr(engine._Importer, "_apply", original)
    summary = import_file(path=path, actor=cast["admin"])
    assert (summary.stored, summary.unchanged) == (6, 3)


@writes_behind
def test_a_family_split_over_chunks_is_planned_after_the_chunk_that_creates_it(cast, tmp_path, monkeypatch):
    _forked(monkeypatch, True, chunk_rows=2)
    first, second = family(), family()
    # Chunks: [A head, B head], [A spouse, A child], [B spouse, B child]. The second chunk must see
    # the household the first one creates, or its rows look like a new family without a head.
    rows = first[:1] + second[:1] + first[1:] + second[1:]
    summary = import_file(path=write_csv(tmp_path / "a.csv", rows), actor=cast["admin"],
                          report_path=tmp_path / "r.csv")
    assert (summary.stored, summary.rejected, summary.households_created) == (6, 0, 2)
    for members in (first, second):
        assert Household.objects.get(kk_number=members[0]["no_kk"]).residents.count() == 3
    assert [r["baris"] for r in report_rows(tmp_path / "r.csv")] == [str(n) for n in range(2, 8)]
