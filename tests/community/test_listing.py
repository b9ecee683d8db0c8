"""The beneficiary list: masking, RT only, who may see it, which programs; the admin's settings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansos.community.masking import mask_name
from bansos.community.services.listing import listing_settings_update
from bansos.core.errors import PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_it_masks_names():
    assert mask_name("Sri Wahyuni") == "S** W******"
    assert mask_name("  budi   santoso ") == "B*** S******"
    assert mask_name("Sri Wahyuni", "initials") == "S. W."
    assert mask_name("") == ""


def test_it_shows_masked_names_and_rt_only(people, listed, client_for):
    page = client_for(people["resident"]).get(reverse("community:beneficiary_rw", args=[1]))
    html = page.content.decode()
    assert page.status_code == 200
    homes = [e.household for e in listed[:3]]
    for home in homes:
        head = home.residents.get(relation="head")
        assert mask_name(head.full_name) in html
        assert head.full_name not in html and head.nik not in html and home.kk_number not in html
        assert home.address not in html
    assert "Rp" not in html  # no amounts
    assert html.count("RT 01") == 2 and html.count("RT 02") == 1  # RW 2's beneficiary is not on RW 1's list


def test_the_api_answers_masked_entries(people, listed, client_for):
    body = client_for(people["resident"]).get("/api/community/beneficiaries/1").json()
    assert [len(b["entries"]) for b in body] == [3]
    assert set(body[0]["entries"][0]) == {"id", "name", "rt"}


def test_residents_see_their_own_rw_only(people, listed, client_for):
    assert client_for(people["resident_other"]).get(reverse("community:beneficiary_rw", args=[1])).status_code == 403
    assert client_for(people["resident_other"]).get("/api/community/beneficiaries/1").status_code == 403
    assert client_for(people["surveyor_other"]).get(reverse("community:beneficiary_rw", args=[1])).status_code == 200


def test_anonymous_visitors_need_to_sign_in_unless_the_list_is_public(cast, cash, agencies, listed, client_for):
    anon = client_for(None)
    assert anon.get(reverse("community:beneficiary_rw", args=[1])).status_code == 302
    assert anon.get("/api/community/beneficiaries/1").status_code == 401
    listing_settings_update(actor=cast["admin"], enabled=True, audience="public", masking="initials",
                            programs=[cash], agencies=[agencies["dinsos"]])
    body = anon.get("/api/community/beneficiaries/1").json()
    assert body[0]["entries"][0]["name"].endswith(".")


def test_a_program_needs_its_agencys_consent(cast, cash, listed, people, client_for):
    listing_settings_update(actor=cast["admin"], enabled=True, audience="residents", masking="stars",
                            programs=[cash], agencies=[])
    assert client_for(people["resident"]).get("/api/community/beneficiaries/1").json() == []


def test_only_the_admin_changes_the_settings(cast, cash, agencies):
    from bansos.community.services.listing import listing_settings

    for who in ("officer", "surveyor", "resident", "evaluator"):
        with pytest.raises(PermissionDeniedError):
            listing_settings_update(actor=cast[who], enabled=False, audience="public", masking="stars",
                                    programs=[], agencies=[])
    assert listing_settings().audience == "residents"
