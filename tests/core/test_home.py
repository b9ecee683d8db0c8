"""The landing page of each role, and that an evaluator never sees a NIK or a name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansos.core.selectors import home_breakdown
from bansos.registry.models import Resident


def test_admin_sees_per_rw_counts_and_admin_links(cast, client_for):
    response = client_for(cast["admin"]).get("/")
    breakdown = response.context["breakdown"]
    assert breakdown["by"] == "rw"
    assert [(r["rw"], r["households"], r["residents"], r["female_headed"]) for r in breakdown["rows"]] == [
        (1, 2, 6, 1), (2, 1, 4, 0),
    ]
    assert breakdown["totals"] == {"households": 3, "residents": 10, "female_headed": 1}
    body = response.content.decode()
    for link in ("/akun/pengguna/", "/akun/lembaga/", "/wilayah/", "/audit/"):
        assert f'href="{link}"' in body


def test_the_breakdown_is_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        home_breakdown(user=cast["admin"])


def test_it_counts_only_active_members(cast):
    from bansos.registry.services import resident_set_status

    child = cast["households"]["rw2"].residents.get(full_name="DEWI ANGGRAINI")
    resident_set_status(actor=cast["admin"], resident=child, status="deceased", reason="meninggal")
    rows = home_breakdown(user=cast["admin"])["rows"]
    assert [(r["rw"], r["residents"]) for r in rows] == [(1, 6), (2, 3)]


def test_a_surveyor_sees_only_their_rw_per_rt_and_a_search_form(cast, client_for):
    response = client_for(cast["surveyor"]).get("/")
    breakdown = response.context["breakdown"]
    assert [(r["rw"], r["rt"], r["households"], r["residents"], r["female_headed"]) for r in breakdown["rows"]] == [
        (1, 1, 1, 4, 0), (1, 2, 1, 2, 1),
    ]
    body = response.content.decode()
    assert 'action="/registri/"' in body and 'name="q"' in body


def test_an_rt_surveyor_sees_only_their_rt(cast):
    rows = home_breakdown(user=cast["surveyor_rt"])["rows"]
    assert [(r["rt"], r["households"]) for r in rows] == [(2, 1)]


def test_an_officer_sees_their_agency_and_no_fake_programs(cast, client_for):
    response = client_for(cast["officer"]).get("/")
    assert response.context["breakdown"] is None
    body = response.content.decode()
    assert "Suku Dinas Sosial Jakarta Barat" in body
    assert "Halaman program belum tersedia" in body


def test_a_cadre_sees_their_posyandu_and_its_rts(cast, client_for):
    response = client_for(cast["cadre"]).get("/")
    assert response.context["posyandu"].name == "Posyandu Mawar"
    assert [(r["rt"], r["households"]) for r in response.context["breakdown"]["rows"]] == [(1, 1), (2, 1)]
    body = response.content.decode()
    assert "RT 01/RW 01" in body and "RT 02/RW 01" in body


def test_a_resident_lands_on_the_portal_page_of_their_own_household(cast, client_for):
    client = client_for(cast["resident"])
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("portal:beranda")
    body = client.get(response.url).content.decode()
    assert "BUDI SANTOSO" in body
    assert "JOKO SUSILO" not in body  # a member of another household


def test_a_visitor_lands_on_the_public_portal(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("portal:home")


def test_an_evaluator_sees_aggregates_without_names(cast, client_for):
    response = client_for(cast["evaluator"]).get("/")
    assert response.context["breakdown"]["totals"] == {"households": 3, "residents": 10, "female_headed": 1}
    body = response.content.decode()
    for name in Resident.objects.values_list("full_name", flat=True):
        assert name not in body


STAFF_PAGES = [
    "/", "/akun/pengguna/", "/akun/lembaga/", "/akun/kata-sandi/", "/wilayah/", "/audit/", "/registri/",
    "/api/households",
]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_no_staff_page_leaks_a_nik_to_an_evaluator(cast, client_for, path):
    client = client_for(cast["evaluator"])
    response = client.get(path, follow=True)
    body = response.content.decode()
    from bansos.core.formats import mask_nik

    for nik, kk in Resident.objects.values_list("nik", "household__kk_number"):
        assert nik not in body
        assert mask_nik(nik) not in body
        assert kk not in body


@pytest.mark.parametrize("name", ["surveyor", "officer", "cadre", "evaluator", "resident"])
def test_the_menu_shows_admin_pages_only_to_admins(cast, client_for, name):
    body = client_for(cast[name]).get("/", follow=True).content.decode()  # residents land on the portal
    for link in ("/akun/pengguna/", "/akun/lembaga/", "/wilayah/", "/audit/"):
        assert f'href="{link}"' not in body
    assert 'href="/akun/kata-sandi/"' in body
