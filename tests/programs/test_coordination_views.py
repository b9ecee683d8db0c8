"""Coordination pages: who sees the figures, who sees the households behind them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bansos.programs.models import Enrollment
from tests.factories import make_household
from tests.programs.test_coordination_selectors import enrol, score

OVERVIEW = reverse("programs:coordination")
EXCLUDED = reverse("programs:coordination_excluded")
MANY = reverse("programs:coordination_many")


@pytest.fixture
def world(cast, areas, make_program):
    """Household rw1 receives four programs (two agencies); rw2 is poor and receives nothing."""
    hh = cast["households"]
    programs = [
        make_program("dinsos", name="BLT Kelurahan", kind="cash"),
        make_program("lsm", name="Bantuan Tunai Yayasan", kind="cash"),
        make_program("lsm", name="Modal Usaha Yayasan", kind="enterprise"),
        make_program("dinsos", name="Beasiswa Kelurahan", kind="education"),
    ]
    for program in programs:
        enrol(program, hh["rw1"])
    enrol(programs[0], hh["rw1_rt2"])
    score(hh["rw2"], 1)
    score(hh["rw1_rt2"], 2)
    return {"programs": programs, **hh}


@pytest.mark.parametrize("role", ["admin", "officer", "evaluator"])
def test_it_shows_the_figures_to_admins_officers_and_evaluators(cast, client_for, world, role):
    response = client_for(cast[role]).get(OVERVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    # Program names are catalog data: officers see other agencies' names in the matrix too.
    assert "Bantuan Tunai Yayasan" in html and "Modal Usaha Yayasan" in html
    assert "Koordinasi program" in html
    # Aggregates only: no household's KK number or head's name on the page.
    for household in (world["rw1"], world["rw2"]):
        assert household.kk_number not in html
    assert "BUDI SANTOSO" not in html and "JOKO SUSILO" not in html


@pytest.mark.parametrize("role", ["surveyor", "cadre", "resident"])
def test_it_refuses_the_figures_to_other_roles(cast, client_for, world, role):
    assert client_for(cast[role]).get(OVERVIEW).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client_for, world):
    for url in (OVERVIEW, EXCLUDED, MANY):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert "/akun/masuk/" in response["Location"]


def test_it_links_the_household_lists_for_admins_only(cast, client_for, world):
    admin_html = client_for(cast["admin"]).get(OVERVIEW).content.decode()
    assert MANY in admin_html and f"{EXCLUDED}?rw=2" in admin_html
    for role in ("officer", "evaluator"):
        html = client_for(cast[role]).get(OVERVIEW).content.decode()
        assert MANY not in html and EXCLUDED not in html


def test_it_lists_poor_households_without_a_program_for_the_admin(cast, client_for, world):
    response = client_for(cast["admin"]).get(EXCLUDED)
    assert response.status_code == 200
    html = response.content.decode()
    assert world["rw2"].kk_number in html and "JOKO SUSILO" in html
    assert world["rw1_rt2"].kk_number not in html  # poor, but receives BLT
    by_rw = client_for(cast["admin"]).get(EXCLUDED, {"rw": 1}).content.decode()
    assert world["rw2"].kk_number not in by_rw
    assert "Tidak ada keluarga desil 1-3 tanpa program." in by_rw


def test_it_lists_households_with_many_programs_for_the_admin(cast, client_for, world):
    response = client_for(cast["admin"]).get(MANY)
    assert response.status_code == 200
    html = response.content.decode()
    assert world["rw1"].kk_number in html and "BUDI SANTOSO" in html
    assert "Modal Usaha Yayasan" in html
    assert world["rw1_rt2"].kk_number not in html  # one program only
    assert world["rw1"].kk_number not in client_for(cast["admin"]).get(MANY, {"rw": 2}).content.decode()


@pytest.mark.parametrize("role", ["officer", "officer_other", "evaluator", "surveyor", "resident"])
def test_it_refuses_the_household_lists_to_everyone_but_the_admin(cast, client_for, world, role):
    client = client_for(cast[role])
    for url in (EXCLUDED, MANY, f"{EXCLUDED}?rw=2"):
        response = client.get(url)
        assert response.status_code == 403
        assert world["rw2"].kk_number.encode() not in response.content


@pytest.mark.parametrize("value", ["9", "abc", "-1", "²", "99999999999999999999"])
def test_it_answers_404_for_an_unknown_rw(cast, client_for, world, value):
    client = client_for(cast["admin"])
    assert client.get(EXCLUDED, {"rw": value}).status_code == 404
    assert client.get(MANY, {"rw": value}).status_code == 404


def test_it_reads_only_and_refuses_post(cast, client_for, world):
    before = list(Enrollment.objects.order_by("pk").values_list("pk", "state"))
    for url in (OVERVIEW, EXCLUDED, MANY):
        assert client_for(cast["admin"]).post(url).status_code == 405
    assert list(Enrollment.objects.order_by("pk").values_list("pk", "state")) == before


def test_it_pages_the_household_lists(cast, client_for, world, areas):
    for i in range(27):
        household = make_household(actor=cast["admin"], rt=areas["rt3"], head_name=f"Warga {chr(65 + i % 26)}{'ab'[i // 26]}")
        score(household, 3)
    client = client_for(cast["admin"])
    first = client.get(EXCLUDED, {"rw": 2}).content.decode()
    assert "Halaman 1 dari 2" in first and "?rw=2&amp;page=2" in first
    second = client.get(EXCLUDED, {"rw": 2, "page": 2}).content.decode()
    assert second.count('class="cell mono"') == 3  # 28 households: 25 + 3


def test_it_renders_the_page_in_a_fixed_number_of_queries(cast, client_for, world, make_program):
    client = client_for(cast["evaluator"])
    with CaptureQueriesContext(connection) as before:
        client.get(OVERVIEW)
    extra = make_program("lsm", name="Kelas Ibu Hamil", kind="health", participant="resident")
    enrol(extra, world["rw2"], resident=world["rw2"].residents.first())
    with CaptureQueriesContext(connection) as after:
        assert "Kelas Ibu Hamil" in client.get(OVERVIEW).content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)
