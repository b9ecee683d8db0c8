"""Grievance fixtures: a dinsos program, a moment in time, and a ``file`` helper going through the services."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.programs.conftest import make_program, source  # noqa: F401

JKT = ZoneInfo("Asia/Jakarta")
# Monday 2 March 2026, 10:00 Jakarta time: deadlines below are counted from here.
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=JKT)


def at(day: int, hour: int = 10, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=JKT)


@pytest.fixture
def program(make_program):
    return make_program("dinsos", status="running", name="BLT Uji Pengaduan")


@pytest.fixture
def other_program(make_program):
    return make_program("lsm", status="running", name="Program LSM Uji")


@pytest.fixture
def file(cast):
    """``file(actor=None, now=MONDAY, **data)`` -> a grievance filed on the portal (public by default)."""
    from bansos.grievances.services import grievance_file

    def make(actor=None, now=MONDAY, **data):
        base = {"category": "aid_not_received", "subject": "Bantuan belum sampai",
                "description": "BLT bulan ini belum diterima.", "name": "Siti Aminah", "phone": "0812-3456-7890"}
        base.update(data)
        return grievance_file(actor=actor, data=base, now=now)

    return make
