import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bansos.registry.columns import COLUMNS
from bansos.registry.importing import cells
from bansos.registry.importing.cells import CellError, header_key, header_table, make_choice_parser


def test_it_reads_dates_as_indonesian_spreadsheets_write_them():
    assert cells.date("17-08-1980") == dt.date(1980, 8, 17)
    assert cells.date("17/08/1980") == dt.date(1980, 8, 17)
    assert cells.date("7.8.1980") == dt.date(1980, 8, 7)
    assert cells.date("1980-08-17") == dt.date(1980, 8, 17)
    assert cells.date(dt.datetime(1980, 8, 17, 0, 0)) == dt.date(1980, 8, 17)
    assert cells.date(29450) == dt.date(1980, 8, 17)  # an Excel serial number
    assert cells.date("  ") is None


@pytest.mark.parametrize("value", ["31-02-1980", "17-08-80", "kemarin", "1980/08/17"])
def test_it_refuses_dates_it_cannot_read(value):
    with pytest.raises(CellError):
        cells.date(value)


def test_it_reads_nik_written_as_a_number_only_when_exact():
    assert cells.digits(3173051708780001) == "3173051708780001"
    assert cells.digits(3173051708780001.0) == "3173051708780001"
    assert cells.digits("3173051708780001.0") == "3173051708780001"
    assert cells.digits("'3173051708780001") == "'3173051708780001"  # identifiers strip the apostrophe
    with pytest.raises(CellError):
        cells.digits(9.6e15 + 1)


def test_it_reads_money_with_thousands_dots_and_rp():
    assert cells.money("Rp 2.500.000") == 2_500_000
    assert cells.money("2,500,000") == 2_500_000
    assert cells.money("2500000") == 2_500_000
    assert cells.money("2500000.00") == 2_500_000
    assert cells.money("Rp2.500.000,-") == 2_500_000
    assert cells.money(2500000.0) == 2_500_000
    with pytest.raises(CellError):
        cells.money("2,5 juta")


@pytest.mark.parametrize("parse", [cells.integer, cells.money])
def test_a_number_thousands_of_digits_long_is_a_cell_error_not_a_crash(parse):
    # int() raises ValueError past 4,300 digits; the import must report the cell instead.
    with pytest.raises(CellError):
        parse("9" * 5000)


def test_it_reads_rt_and_rw_with_leading_zeros_or_prefix():
    assert cells.integer("001") == 1
    assert cells.integer("RT 05") == 5
    assert cells.integer(3.0) == 3
    with pytest.raises(CellError):
        cells.integer("3,5")


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("sex", "L", "L"), ("sex", "laki-laki", "L"), ("sex", "Perempuan", "P"), ("sex", " p ", "P"),
    ("relation", "Kepala Keluarga", "head"), ("relation", "ISTRI", "spouse"), ("relation", "Suami", "spouse"),
    ("relation", "anak", "child"), ("relation", "head", "head"),
    ("electricity_va", "450", 450), ("electricity_va", "900 VA", 900), ("electricity_va", "1.300 VA", 1300),
    ("electricity_va", "5500", 3500), ("electricity_va", 2200.0, 2200),
    ("education", "SLTA", "sma"), ("education", "S1", "bachelor"),
    ("floor_material", "keramik", "ceramic"), ("house_ownership", "Kontrak", "rented"),
    ("marital_status", "Belum Kawin", "single"), ("marital_status", "cerai mati", "widowed"),
])
def test_it_reads_choices_as_code_label_or_abbreviation(field, value, expected):
    assert make_choice_parser(field)(value) == expected


def test_it_refuses_an_unknown_choice_listing_the_allowed_ones():
    with pytest.raises(CellError) as error:
        make_choice_parser("sex")("X")
    assert str(error.value) == "Nilai X tidak dikenal; pilihan: Laki-laki, Perempuan."


def test_it_reads_yes_and_no():
    assert cells.boolean("Ya") is True
    assert cells.boolean("tidak") is False
    assert cells.boolean("Tidak ada") is False
    assert cells.boolean(1) is True
    assert cells.boolean("") is None
    with pytest.raises(CellError):
        cells.boolean("mungkin")


def test_it_matches_header_variations_and_aliases():
    table = header_table()
    assert table[header_key("No. KK")].header == "no_kk"
    assert table[header_key("NIK")].header == "nik"
    assert table[header_key("Tanggal Lahir (dd-mm-yyyy)")].header == "tanggal_lahir"
    assert table[header_key("\ufeffno_kk")].header == "no_kk"
    assert table[header_key("SHDK")].header == "hubungan"
    assert table[header_key("Jenis Kelamin")].header == "jenis_kelamin"


def test_it_undoes_the_exports_formula_guard_on_text():
    assert cells.text("'=1+2") == "=1+2"
    assert cells.text("'Jl. Mawar") == "'Jl. Mawar"
    assert cells.text("  Jl.   Mawar\x00 ") == "Jl. Mawar"


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                 st.dates(), st.datetimes()))
def test_it_never_fails_on_junk_other_than_with_a_cell_error(value):
    for column in COLUMNS:
        parse = cells.parser_for(column)
        try:
            parse(value)
        except CellError:
            pass
