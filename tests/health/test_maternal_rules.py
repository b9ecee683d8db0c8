"""Pregnancy arithmetic and risk rules (pure functions): Naegele, gestational age, trimesters, the Kemenkes
2020 schedule per trimester, each flag at its boundary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from bansos.health import maternal

LMP = dt.date(2026, 1, 1)


def days(n: int) -> dt.date:
    return LMP + dt.timedelta(days=n)


def test_naegele_adds_280_days_across_a_year_and_a_leap_day():
    assert maternal.edd_from_lmp(dt.date(2026, 1, 1)) == dt.date(2026, 10, 8)
    assert maternal.edd_from_lmp(dt.date(2023, 6, 15)) == dt.date(2024, 3, 21)  # through 29 February 2024
    assert maternal.edd_from_lmp(dt.date(2025, 5, 1)) == dt.date(2026, 2, 5)


def test_gestational_age_in_weeks_and_days():
    assert maternal.gestational_days(LMP, days(87)) == 87
    assert maternal.gestational_label(87) == "12 minggu 3 hari"
    assert maternal.gestational_label(91) == "13 minggu"


@pytest.mark.parametrize("n,trimester", [(0, 1), (90, 1), (91, 2), (195, 2), (196, 3), (300, 3)])
def test_trimester_boundaries_follow_completed_weeks(n, trimester):
    # <= 12 completed weeks (12w6d = day 90) is the first, 13-27 the second, 28+ the third
    assert maternal.trimester_of(n).number == trimester


def test_the_schedule_is_the_kemenkes_2020_table():
    assert [(t.number, t.min_visits) for t in maternal.SCHEDULE] == [(1, 2), (2, 1), (3, 3)]
    assert maternal.MIN_VISITS_TOTAL == 6


@pytest.mark.parametrize("muac,kek", [("23.4", True), ("23.5", False), ("23.6", False)])
def test_kek_below_23_5_cm_only(muac, kek):
    assert maternal.visit_flags(muac_cm=Decimal(muac), systolic=None, diastolic=None, hb_g_dl=None)["kek"] is kek


@pytest.mark.parametrize("sys,dia,high", [(140, 80, True), (139, 89, False), (120, 90, True), (139, 90, True),
                                          (160, 100, True)])
def test_high_blood_pressure_from_140_over_90(sys, dia, high):
    assert maternal.visit_flags(muac_cm=None, systolic=sys, diastolic=dia, hb_g_dl=None)["high_bp"] is high


@pytest.mark.parametrize("hb,anaemia", [("10.9", True), ("11.0", False), ("12.5", False)])
def test_anaemia_below_11(hb, anaemia):
    assert maternal.visit_flags(muac_cm=None, systolic=None, diastolic=None, hb_g_dl=Decimal(hb))["anaemia"] is anaemia


def test_no_measurement_no_flag():
    assert maternal.visit_flags(muac_cm=None, systolic=None, diastolic=None, hb_g_dl=None) == {
        "kek": False, "high_bp": False, "anaemia": False}


def test_no_shortfall_while_in_the_first_trimester():
    assert maternal.schedule_shortfall(LMP, [], days(90)) == []


def test_first_trimester_short_once_it_is_over():
    short = maternal.schedule_shortfall(LMP, [days(60)], days(91))
    assert [(s.trimester, s.required, s.done) for s in short] == [(1, 2, 1)]
    assert maternal.schedule_shortfall(LMP, [days(40), days(80)], days(91)) == []


def test_second_trimester_short_once_it_is_over():
    first = [days(40), days(80)]
    assert maternal.schedule_shortfall(LMP, first, days(195)) == []
    short = maternal.schedule_shortfall(LMP, first, days(196))
    assert [(s.trimester, s.required, s.done) for s in short] == [(2, 1, 0)]
    assert maternal.schedule_shortfall(LMP, [*first, days(150)], days(196)) == []


def test_third_trimester_counts_at_delivery():
    visits = [days(40), days(80), days(150), days(200), days(230)]
    assert maternal.schedule_shortfall(LMP, visits, days(270)) == []  # ongoing: the third is not over
    short = maternal.schedule_shortfall(LMP, visits, days(275), delivered=True)
    assert [(s.trimester, s.required, s.done) for s in short] == [(3, 3, 2)]
    assert maternal.schedule_shortfall(LMP, [*visits, days(260)], days(275), delivered=True) == []


def test_a_visit_on_day_90_counts_for_the_first_trimester_and_day_91_for_the_second():
    assert maternal.visits_per_trimester(LMP, [days(90), days(91)]) == {1: 1, 2: 1, 3: 0}


def visit(n, **flags):
    base = {"muac_cm": None, "systolic": None, "diastolic": None, "hb_g_dl": None, "kek": False, "high_bp": False,
            "anaemia": False}
    base.update(flags)
    return SimpleNamespace(visit_date=days(n), **base)


@pytest.mark.parametrize("birth,flag", [(dt.date(2006, 1, 2), "young"), (dt.date(2006, 1, 1), None),
                                        (dt.date(1990, 1, 2), None), (dt.date(1990, 1, 1), "old")])
def test_mother_age_at_the_lmp_under_20_or_over_35(birth, flag):
    # born 2006-01-02: 19 on the LMP; 2006-01-01: 20. Born 1990-01-02: 35; 1990-01-01: 36
    flags = maternal.pregnancy_flags(mother_birth=birth, lmp=LMP, visits=[visit(40), visit(80)], on=days(100))
    assert [f for f in flags if f in ("young", "old")] == ([flag] if flag else [])


def test_pregnancy_flags_use_the_latest_measurement_of_each():
    visits = [visit(40, muac_cm=Decimal("22"), kek=True, hb_g_dl=Decimal("10"), anaemia=True),
              visit(80, muac_cm=Decimal("24"), systolic=150, diastolic=95, high_bp=True)]
    flags = maternal.pregnancy_flags(mother_birth=dt.date(1995, 5, 5), lmp=LMP, visits=visits, on=days(85))
    assert flags == ["high_bp", "anaemia"]  # MUAC recovered; Hb not measured again


def test_next_visit_due_from_the_last_visit_and_the_trimester_end():
    assert maternal.next_visit_due(LMP, [], days(30)) == days(30)
    assert maternal.next_visit_due(LMP, [days(40)], days(45)) == days(68)  # four weeks in the first trimester
    assert maternal.next_visit_due(LMP, [days(75)], days(76)) == days(90)  # the second is due by 12w6d
    assert maternal.next_visit_due(LMP, [days(200)], days(205)) == days(214)  # two weeks in the third
