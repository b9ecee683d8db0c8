"""Money typed in the catalog's forms: plain digits or the way it is printed."""

from __future__ import annotations

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from bansos.core.formats import rupiah
from bansos.programs.forms_catalog import MONEY_MAX, MoneyField, parse_rupiah


@pytest.mark.parametrize(("text", "amount"), [
    ("300000", 300_000), ("300.000", 300_000), ("Rp 300.000", 300_000), ("Rp300.000", 300_000),
    ("rp. 300.000", 300_000), ("Rp 300.000,-", 300_000), ("Rp 300.000,00", 300_000), (" 1.250.000 ", 1_250_000),
    ("0", 0), ("Rp 1", 1),
])
def test_it_reads_amounts(text, amount):
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize("text", [
    "", "Rp", "3.00000", "300,000", "300.000,50", "-300000", "1e6", "300 000", "Rp 300.00", "dua juta", "12.",
])
def test_it_refuses_what_is_not_a_whole_rupiah_amount(text):
    with pytest.raises(ValueError):
        parse_rupiah(text)


@given(st.integers(min_value=0, max_value=MONEY_MAX))
def test_every_printed_amount_reads_back(amount):
    assert parse_rupiah(rupiah(amount)) == amount
    assert parse_rupiah(str(amount)) == amount


@given(st.text(max_size=40))
def test_arbitrary_text_reads_as_a_whole_amount_or_fails_cleanly(text):
    try:
        amount = parse_rupiah(text)
    except ValueError:
        return
    assert isinstance(amount, int) and amount >= 0


def test_the_field_cleans_to_an_int_and_checks_its_bounds():
    field = MoneyField(min_value=1)
    assert field.clean("Rp 2.500.000") == 2_500_000
    with pytest.raises(forms.ValidationError, match="Paling sedikit Rp 1."):
        field.clean("0")
    with pytest.raises(forms.ValidationError, match="Jumlah terlalu besar."):
        field.clean(str(MONEY_MAX + 1))
    with pytest.raises(forms.ValidationError, match="Tulis jumlah Rupiah"):
        field.clean("9" * 40)
    assert MoneyField(required=False).clean("  ") is None
    assert field.prepare_value(300_000) == "300.000"
