"""Linkage fixtures: the programs fixtures (an enrollment is a record that a merge must move)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.programs.conftest import make_program, source  # noqa: F401 - fixtures


@pytest.fixture
def twin(cast, areas):
    """Budi Santoso registered a second time, in RW 2's household, with a mistyped NIK."""
    from bansos.registry.services import resident_add

    budi = cast["households"]["rw1"].residents.get(relation="head")
    wrong = budi.nik[:3] + str((int(budi.nik[3]) + 1) % 10) + budi.nik[4:]
    return budi, resident_add(actor=cast["admin"], household=cast["households"]["rw2"], data={
        "nik": wrong, "full_name": "Moh. Budi Santoso", "sex": "L", "birth_place": "Jakarta",
        "birth_date": budi.birth_date, "relation": "other", "marital_status": "married",
    }, reason="pendataan ganda")


@pytest.fixture
def date():
    return dt.date
