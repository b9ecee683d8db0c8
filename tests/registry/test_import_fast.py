"""The import's fast path must agree with the general path on every row it accepts.

The fast path only recognises plainly valid CSV rows and builds their values itself; anything
else goes to the general path. These tests parse the same rows both ways and compare.
"""

import csv
import datetime as dt

from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bansos.core.models import RT
from bansos.demo.generator import write_households_csv
from bansos.registry.columns import HEADERS
from bansos.registry.importing import import_file
from bansos.registry.importing.parsing import Parser, finish
from bansos.registry.importing.reader import HouseholdFile
from bansos.registry.models import Resident
from tests.factories import nik_for
from tests.registry.importhelpers import family, report_rows, write_csv

SLOTS = ("number", "kk", "nik", "name", "status", "reason", "relation")


def _parser(path):
    rts = {(rt.rw.number, rt.number): rt for rt in RT.objects.select_related("rw")}
    with HouseholdFile(path) as source:
        rows = [(number, list(cells)) for number, cells in source.rows()]
        return Parser(source.layout, rts, timezone.localdate()), rows


def _same(fast, general):
    assert {s: getattr(fast, s) for s in SLOTS} == {s: getattr(general, s) for s in SLOTS}
    # The fast path builds what finish() makes of the general path's values: the same record
    # to insert (defaults and name key included) and the same filled fields to compare.
    finish([general], {})
    assert fast.values == general.values
    assert fast.mask == general.mask
    assert fast.filled() == general.filled()
    assert fast.household == general.household


def _compare(path):
    parser, rows = _parser(path)
    accepted = 0
    for number, cells in rows:
        fast = parser._parse_fast(number, cells)
        general = parser._parse_general(number, cells)
        if fast is not None:
            accepted += 1
            _same(fast, general)
    return accepted, len(rows)


def test_the_fast_path_takes_every_clean_generated_row_and_agrees(areas, tmp_path):
    path = tmp_path / "a.csv"
    write_households_csv(path, households=40, seed=7, areas=[(1, 1), (1, 2), (2, 1)])
    accepted, total = _compare(path)
    assert accepted == total


def test_the_fast_path_agrees_on_messy_generated_rows(areas, tmp_path):
    path = tmp_path / "a.csv"
    written = write_households_csv(path, households=150, seed=11, messy_fraction=0.5,
                                   areas=[(1, 1), (1, 2), (2, 1), (9, 9)])
    accepted, total = _compare(path)
    assert total == written.rows
    assert 0 < accepted < total


def _row(**changes):
    row = dict(family()[0])
    row.update(changes)
    return row


EDGE_ROWS = [
    _row(),
    _row(nama_lengkap="  ahmad   fauzi "),
    _row(nama_lengkap="ahmad\tfauzi"),
    _row(nama_lengkap="'=ahmad"),
    _row(nama_lengkap="'-ahmad"),
    _row(nama_lengkap="Ahmad\x01Fauzi"),
    _row(nama_lengkap="Ahmad Fa\u00fczi"),
    _row(nama_lengkap="A" * 121),
    _row(nama_lengkap="O'NEIL-SMITH, JR."),
    _row(nama_lengkap="-"),
    _row(nik=" " + family()[0]["nik"]),
    _row(nik="'" + family()[0]["nik"]),
    _row(nik="3.17305E+15"),
    _row(nik=family()[0]["nik"][:12] + "0000"),
    _row(nik="9973051204750001"),
    _row(nik="\u0661" * 16),
    _row(jenis_kelamin="P"),
    _row(tanggal_lahir="12-04-1875"),
    _row(tanggal_lahir="12-04-2999"),
    _row(hamil="Ya"),
    _row(hamil="Ya", jenis_kelamin="P", nik=nik_for(dt.date(1975, 4, 12), "P")),
    _row(hamil="Ya", jenis_kelamin="P", tanggal_lahir="12-04-1940", nik=nik_for(dt.date(1940, 4, 12), "P")),
    _row(penghasilan="-5000"),
    _row(penghasilan="Rp 1.500.000"),
    _row(jenis_kelamin="x"),
    _row(hubungan=""),
    _row(rt="9"),
    _row(no_kk="123"),
    _row(no_hp="0812 3456 7890"),
    _row(tempat_lahir="  Jakarta   Barat "),
    _row(pekerjaan="x" * 81),
]


def test_the_fast_path_agrees_on_hand_made_edge_rows(areas, tmp_path):
    path = write_csv(tmp_path / "a.csv", EDGE_ROWS)
    accepted, total = _compare(path)
    assert total == len(EDGE_ROWS)
    assert accepted >= 5  # the plain rows at least


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(alphabet=st.sampled_from("aZ .,'-\t\x01\u00e9\u00a0\n"), max_size=12),
    nik_noise=st.sampled_from(["", " ", "'", "''", ".", "-", "\u00a0"]),
    where=st.integers(min_value=0, max_value=16),
)
def test_the_fast_path_agrees_on_odd_names_and_niks(areas, tmp_path, name, nik_noise, where):
    assume(name.count("\x01") < 3)  # more control bytes and the file is refused as not text
    base = family()[0]
    nik = base["nik"][:where] + nik_noise + base["nik"][where:]
    path = tmp_path / "odd.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerow([{**base, "nama_lengkap": name, "nik": nik}.get(h, "") for h in HEADERS])
    _compare(path)


def test_an_import_through_the_fast_path_stores_what_the_general_path_would(cast, tmp_path, monkeypatch):
    rows = family(nama_lengkap="siti  aminah") + family()
    path = write_csv(tmp_path / "a.csv", rows)
    slow_path = write_csv(tmp_path / "b.csv", [dict(r, no_kk=r["no_kk"]) for r in rows])
    summary = import_file(path=path, actor=cast["admin"], report_path=tmp_path / "r.csv")
    assert (summary.rows, summary.stored, summary.rejected) == (6, 6, 0)
    stored = list(Resident.objects.filter(nik__in=[r["nik"] for r in rows]).order_by("nik").values(
        "nik", "full_name", "name_key", "sex", "birth_date", "relation", "monthly_income", "pregnant"))
    # Again through the general path only: everything matches and nothing changes.
    monkeypatch.setattr(Parser, "_parse_fast", lambda self, number, row: None)
    again = import_file(path=slow_path, actor=cast["admin"], report_path=tmp_path / "s.csv")
    assert (again.rows, again.updated, again.unchanged) == (6, 6, 6)
    assert list(Resident.objects.filter(nik__in=[r["nik"] for r in rows]).order_by("nik").values(
        "nik", "full_name", "name_key", "sex", "birth_date", "relation", "monthly_income", "pregnant")) == stored
    assert [r["status"] for r in report_rows(tmp_path / "s.csv")] == ["updated"] * 6


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ABCaz .,'-\\tÉé"), max_size=30))
def test_the_parsers_name_key_short_cut_agrees_with_name_key(name):
    from bansos.registry.importing.parsing import _key_of_name
    from bansos.registry.names import name_key

    assert _key_of_name(name, {}) == name_key(name)
