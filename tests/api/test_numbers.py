"""Integers beyond what the database stores get the API's 422, never a server error, and change nothing."""

from __future__ import annotations

import pytest

from bansos.programs.models import Program

pytestmark = pytest.mark.django_db


def test_a_household_id_beyond_64_bits_is_invalid_input_not_a_crash(cast, api_as):
    response = api_as(cast["admin"]).get(f"/households/{10**30}")
    assert response.status_code in (404, 422)


def test_a_program_quota_beyond_64_bits_is_refused_and_nothing_is_stored(cast, api_as):
    before = Program.objects.count()
    response = api_as(cast["admin"]).post("/programs", {
        "name": "Program Uji Angka", "kind": "community", "agency": cast["officer"].agency_id,
        "description": "", "participant": "resident", "benefit_kind": "service", "benefit_amount": 0,
        "start_date": "2026-01-01", "end_date": "2026-12-31", "capacity": 10**25})
    assert response.status_code == 422, response.content
    assert response.json()["code"] in ("number_out_of_range", "validation_failed")
    assert Program.objects.count() == before
