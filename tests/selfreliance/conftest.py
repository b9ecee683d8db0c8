"""Selfreliance fixtures: a cash program, scores written by hand for the graduation rule."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.programs.conftest import enrol, households, make_program, source  # noqa: F401

MONTH = dt.date(2025, 6, 1)  # a fixed past month: its "as of" day is 30 June 2025


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def model(db):
    from bansos.selfreliance.services.index import index_default_model

    return index_default_model()


@pytest.fixture
def cash_program(make_program):
    return make_program("dinsos", budget=50_000_000, status="running", kind="cash", name="BLT Kelurahan")


@pytest.fixture
def other_cash_program(make_program):
    return make_program("lsm", budget=50_000_000, status="running", kind="cash", name="Bantuan Tunai Yayasan")


@pytest.fixture
def scores(model):
    """``scores(household, {month: score, ...})`` writes index rows directly (components do not matter here)."""
    from django.utils import timezone

    from bansos.selfreliance.models import IndexScore

    def write(household, by_month: dict[dt.date, int]) -> None:
        IndexScore.objects.bulk_create(
            IndexScore(household=household, month=m, model=model, score=s, c_income=0, c_earner=0, c_livelihood=0,
                       c_schooling=0, c_growth=0, c_no_arrears=0, c_no_cash_aid=0, computed_at=timezone.now())
            for m, s in by_month.items()
        )

    return write


def run_of(last: dt.date, values: list[int]) -> dict[dt.date, int]:
    """Months ending with ``last`` (oldest first) mapped to ``values``."""
    n = len(values)
    return {add_months(last, i - n + 1): v for i, v in enumerate(values)}
