"""Cek status: what it shows, non-enumeration, and throttling per address and per NIK."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _post(client, nik, born, ip="10.0.0.1"):
    return client.post(reverse("portal:status"), {"nik": nik, "birth_date": born.isoformat()}, REMOTE_ADDR=ip)


def _result(response) -> str:
    """The result part of the page (the csrf token differs between responses)."""
    match = re.search(r'<section class="p-card" id="hasil".*?</section>', response.content.decode(), re.S)
    return match.group(0) if match else ""


def test_it_shows_the_persons_and_the_households_programs_in_plain_words(client, head, home, training,
                                                                         cash_program, enrol):
    enrol(training, home, "active", resident=head)
    enrol(cash_program, home, "applied")
    response = _post(client, head.nik, head.birth_date)
    result = _result(response)
    assert response.status_code == 200
    assert "Pelatihan Menjahit" in result and "Sedang menerima manfaat" in result
    assert "BLT Warga" in result and "Keluarga (KK)" in result
    assert head.full_name not in response.content.decode()  # no names, no amounts


def test_it_does_not_show_another_members_personal_programs(client, home, training, enrol):
    head = home.residents.get(relation="head")
    spouse = home.residents.get(relation="spouse")
    enrol(training, home, "active", resident=spouse)
    assert "Pelatihan Menjahit" not in _result(_post(client, head.nik, head.birth_date))


def test_unknown_nik_wrong_date_and_no_programs_answer_exactly_the_same(client, head, cash_program, cast):
    unknown = _result(_post(client, "3173050101900001", dt.date(1990, 1, 1)))
    wrong_date = _result(_post(client, head.nik, head.birth_date + dt.timedelta(days=1)))
    nothing = _result(_post(client, head.nik, head.birth_date))  # the right person, without any program
    assert unknown == wrong_date == nothing
    assert "Tidak ada program yang tercatat" in unknown


def test_the_api_answers_the_same_body_for_unknown_nik_and_wrong_date(client, head, cash_program, enrol, home):
    enrol(cash_program, home, "applied")
    url = reverse("api:portal_status_check")
    unknown = client.post(url, {"nik": "3173050101900001", "birth_date": "1990-01-01"},
                          content_type="application/json")
    wrong = client.post(url, {"nik": head.nik, "birth_date": (head.birth_date + dt.timedelta(days=3)).isoformat()},
                        content_type="application/json")
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.json() == wrong.json() and unknown.json()["items"] == []
    right = client.post(url, {"nik": head.nik, "birth_date": head.birth_date.isoformat()},
                        content_type="application/json")
    assert [i["program"] for i in right.json()["items"]] == ["BLT Warga"]


def test_a_malformed_nik_is_a_field_error(client):
    response = _post(client, "12345", dt.date(1990, 1, 1))
    assert response.status_code == 400
    assert "NIK terdiri dari 16 angka." in response.content.decode()


def test_it_throttles_per_address(client, head, monkeypatch):
    monkeypatch.setenv("PORTAL_STATUS_PER_IP", "3")
    for i in range(3):
        assert _post(client, f"317305010190{i:04d}", dt.date(1990, 1, 1)).status_code == 200
    response = _post(client, head.nik, head.birth_date)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert _post(client, head.nik, head.birth_date, ip="10.0.0.2").status_code == 200  # another address


def test_it_throttles_per_nik_whatever_the_address(client, head, monkeypatch):
    monkeypatch.setenv("PORTAL_STATUS_PER_NIK", "2")
    for ip in ("10.0.0.1", "10.0.0.2"):
        assert _post(client, head.nik, dt.date(1990, 1, 1), ip=ip).status_code == 200
    assert _post(client, head.nik, head.birth_date, ip="10.0.0.3").status_code == 429
    api = client.post(reverse("api:portal_status_check"), {"nik": head.nik, "birth_date": "1990-01-01"},
                      content_type="application/json", REMOTE_ADDR="10.0.0.4")
    assert api.status_code == 429 and api.json()["code"] == "throttled"
    # Another NIK from the same address is still answered.
    assert _post(client, "3173050101900001", dt.date(1990, 1, 1), ip="10.0.0.3").status_code == 200


def test_the_throttle_counters_hold_no_nik(client, head):
    from bansos.portal.models import ThrottleCount

    _post(client, head.nik, head.birth_date)
    keys = list(ThrottleCount.objects.values_list("key", flat=True))
    assert keys and not any(head.nik in key for key in keys)


def test_a_new_window_starts_counting_again(client, head, monkeypatch):
    from django.utils import timezone

    monkeypatch.setenv("PORTAL_STATUS_PER_NIK", "1")
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 3, 5, 9, 10, tzinfo=dt.UTC))
    assert _post(client, head.nik, head.birth_date).status_code == 200
    assert _post(client, head.nik, head.birth_date).status_code == 429
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 3, 5, 10, 1, tzinfo=dt.UTC))
    assert _post(client, head.nik, head.birth_date).status_code == 200
