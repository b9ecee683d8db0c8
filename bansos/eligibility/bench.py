"""Realistic program rules for the benchmarks (``targeting`` rules half, ``explain``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bansos.eligibility import engine


def _p(key, op, value):
    return {"p": key, "op": op, "value": value}


def _decile(low: int, high: int) -> dict:
    return _p("welfare_decile", "between", [low, high])


BENCH_RULES: list[tuple[str, dict]] = [
    ("BLT keluarga rentan", {"all": [_decile(1, 4), {"any": [_p("has_under_five", "is", True),
                                                              _p("has_pregnant", "is", True)]}]}),
    ("Bantuan pendidikan (gaya KJP)", {"all": [_p("has_school_age", "is", True), _decile(1, 5)]}),
    ("Bantuan lansia", {"all": [_p("has_elderly", "is", True), _decile(1, 6)]}),
    ("Pelatihan perempuan kepala keluarga", {"all": [_p("female_head", "is", True), _decile(1, 6)]}),
    ("UMKM pemula", {"all": [{"any": [_p("has_youth", "is", True),
                                      _p("head_employment", "in", ["self_employed"])]}, _decile(2, 6)]}),
]


def bench_expressions(programs: int = 5) -> list[dict]:
    out = []
    for _name, expression in BENCH_RULES[:programs]:
        clean, errors = engine.expression_validate(expression)
        assert not errors, errors
        out.append(clean)
    return out


def bench_rules(*, programs: int = 5, reference_date: dt.date | None = None) -> int:
    """Count, by the database, the households each rule finds; return the sum over the rules."""
    reference = reference_date or timezone.localdate()
    return sum(engine.eligible_households(expression, reference).count() for expression in bench_expressions(programs))
