import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bansos.core.formats import age_on, mask_nik, rupiah, tanggal


@pytest.mark.parametrize("amount, text", [(300000, "Rp 300.000"), (0, "Rp 0"), (1250, "Rp 1.250"),
                                          (-5000, "-Rp 5.000"), (None, "-")])
def test_it_formats_rupiah(amount, text):
    assert rupiah(amount) == text


def test_it_refuses_float_money():
    with pytest.raises(TypeError):
        rupiah(300000.0)


@given(st.integers(min_value=0, max_value=10**13))
def test_it_round_trips_rupiah_digits(amount):
    assert int(rupiah(amount)[3:].replace(".", "")) == amount


def test_it_shows_dates_in_indonesian():
    assert tanggal(dt.date(2025, 8, 17)) == "17 Agustus 2025"


def test_it_shows_datetimes_in_jakarta_time():
    utc = dt.datetime(2025, 8, 16, 20, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert tanggal(utc, with_time=True) == "17 Agustus 2025 03:30"


def test_it_masks_the_birth_date_part_of_a_nik():
    assert mask_nik("3173051708780001") == "317305******0001"


def test_it_counts_age_in_whole_years():
    assert age_on(dt.date(2000, 11, 29), dt.date(2026, 11, 28)) == 25
    assert age_on(dt.date(2000, 11, 28), dt.date(2026, 11, 28)) == 26
