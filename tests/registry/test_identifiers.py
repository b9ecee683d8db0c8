import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bansos.registry.identifiers import (
    IdentifierError, MSG_NIK_SCIENTIFIC, build_kk, build_nik, check_nik_matches, parse_kk, parse_nik,
)

regions = st.sampled_from(["317305", "317101", "317402", "327501", "337401", "127101", "947101"])
birth_dates = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2025, 12, 31))
sexes = st.sampled_from(["L", "P"])
serials = st.integers(min_value=1, max_value=9999)


@given(region=regions, birth=birth_dates, sex=sexes, serial=serials)
def test_it_reads_back_sex_and_birth_date_from_any_built_nik(region, birth, sex, serial):
    nik = build_nik(region=region, birth_date=birth, sex=sex, serial=serial)
    info = parse_nik(nik)
    assert info.sex == sex
    assert (info.day, info.month, info.year2) == (birth.day, birth.month, birth.year % 100)
    assert info.region == region
    check_nik_matches(info, sex=sex, birth_date=birth)


@given(region=regions, birth=birth_dates, serial=serials)
def test_it_refuses_a_nik_whose_sex_disagrees_with_the_record(region, birth, serial):
    info = parse_nik(build_nik(region=region, birth_date=birth, sex="P", serial=serial))
    with pytest.raises(IdentifierError) as exc:
        check_nik_matches(info, sex="L", birth_date=birth)
    assert exc.value.code == "nik_sex_mismatch"
    assert exc.value.field == "nik"


@given(text=st.text(max_size=30))
def test_it_never_raises_anything_but_identifier_error(text):
    try:
        parse_nik(text)
    except IdentifierError:
        pass
    try:
        parse_kk(text)
    except IdentifierError:
        pass


@given(digits=st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_it_accepts_exactly_the_structurally_valid_16_digit_strings(digits):
    try:
        info = parse_nik(digits)
    except IdentifierError as exc:
        assert exc.code in {"nik_region", "nik_date", "nik_serial"}
        return
    day_code = int(digits[6:8])
    assert 1 <= day_code <= 31 or 41 <= day_code <= 71
    assert info.nik == digits


def test_it_reads_the_birth_date_of_a_woman_born_on_17_august_1945():
    info = parse_nik("3171015708450001")
    assert info.sex == "P"
    assert info.birth_date(today=dt.date(2026, 1, 1)) == dt.date(1945, 8, 17)


def test_it_places_a_child_in_this_century():
    info = parse_nik("3173050503200002")
    assert info.birth_date(today=dt.date(2026, 11, 28)) == dt.date(2020, 3, 5)


@pytest.mark.parametrize(
    "value, code",
    [
        ("317305170878000", "nik_length"),
        ("31730517087800011", "nik_length"),
        ("3173O51708780001", "nik_digits"),
        ("9973051708780001", "nik_region"),
        ("3100051708780001", "nik_region"),
        ("3173053208780001", "nik_date"),  # day 32
        ("3173057208780001", "nik_date"),  # day 72 (women's 32)
        ("3173054008780001", "nik_date"),  # day 40
        ("3173051713780001", "nik_date"),  # month 13
        ("3173052902010001", "nik_date"),  # 29 Feb 2001 / 1901
        ("3173051708780000", "nik_serial"),
        ("3.17305E+15", "nik_scientific"),
    ],
)
def test_it_refuses_malformed_niks_with_a_code(value, code):
    with pytest.raises(IdentifierError) as exc:
        parse_nik(value)
    assert exc.value.code == code


def test_it_says_that_a_spreadsheet_lost_the_digits():
    with pytest.raises(IdentifierError) as exc:
        parse_nik("3,17305E+15")
    assert exc.value.message == MSG_NIK_SCIENTIFIC


@pytest.mark.parametrize("value", ["'3173051708780001", " 3173 0517 0878 0001 ", "3173-0517-0878-0001"])
def test_it_cleans_apostrophes_spaces_and_dashes(value):
    assert parse_nik(value).nik == "3173051708780001"


def test_it_accepts_29_february_in_a_leap_year():
    assert parse_nik("3173052902000001").day == 29


@given(registered=st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2026, 1, 1)), serial=serials)
def test_it_accepts_every_built_kk(registered, serial):
    kk = build_kk(region="317305", registered=registered, serial=serial)
    assert parse_kk(kk) == kk


@pytest.mark.parametrize(
    "value, code",
    [("31730512", "kk_length"), ("3173053208150001", "kk_date"), ("3173055208150001", "kk_date"),
     ("3173050208150000", "kk_serial"), ("0073050208150001", "kk_region"), ("abc", "kk_digits")],
)
def test_it_refuses_malformed_kk_numbers(value, code):
    # No +40 rule for KK: a day code of 52 is simply not a date.
    with pytest.raises(IdentifierError) as exc:
        parse_kk(value)
    assert exc.value.code == code
