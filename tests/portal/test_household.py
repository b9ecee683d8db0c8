"""The signed-in resident's home and applications: own household only, whatever ids are tried."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_home_shows_the_own_household_only(client_for, cast, home, other_home, training, enrol):
    spouse = home.residents.get(relation="spouse")
    enrol(training, home, "active", resident=spouse)
    enrol(training, other_home, "applied", resident=other_home.residents.get(relation="head"))
    body = client_for(cast["resident"]).get(reverse("portal:beranda")).content.decode()
    assert spouse.full_name in body and "Sedang menerima manfaat" in body
    assert other_home.residents.get(relation="head").full_name not in body  # the other members share names
    assert body.count("Pelatihan Menjahit") == 1  # the other household's application is not listed
    assert other_home.kk_number not in body


def test_the_home_is_for_residents(client_for, cast):
    assert client_for(None).get(reverse("portal:beranda")).status_code == 302
    assert client_for(cast["officer"]).get(reverse("portal:beranda")).status_code == 403


def test_the_home_shows_cash_payments_in_plain_words(client_for, cast, home):
    body = client_for(cast["resident"]).get(reverse("portal:beranda")).content.decode()
    assert "Belum ada pembayaran bantuan tunai." in body


def test_the_home_hints_at_programs_whose_active_rule_the_household_meets(client_for, cast, home, training):
    from bansos.eligibility.models import EligibilityRule
    from bansos.eligibility.services import rule_create, rule_status_set

    rule = rule_create(actor=cast["admin"], name="Ada anak usia sekolah",
                       expression={"p": "has_school_age", "op": "is", "value": True})
    rule_status_set(actor=cast["admin"], rule=rule, status="active")
    training.rule = EligibilityRule.objects.get(pk=rule.pk)
    training.save(update_fields=["rule"])
    body = client_for(cast["resident"]).get(reverse("portal:beranda")).content.decode()
    assert "Anda mungkin memenuhi syarat untuk <b>Pelatihan Menjahit</b>" in body


def test_a_resident_applies_for_a_member_and_the_agency_sees_it(client_for, cast, home, training):
    from bansos.programs.models import Enrollment

    spouse = home.residents.get(relation="spouse")
    response = client_for(cast["resident"]).post(reverse("portal:apply", args=[training.pk]),
                                                 {"resident": spouse.pk})
    assert response.status_code == 302 and response.url == reverse("portal:beranda")
    enrollment = Enrollment.objects.get(program=training)
    assert (enrollment.household_id, enrollment.resident_id, enrollment.state, enrollment.channel) == (
        home.pk, spouse.pk, "applied", "resident")
    officer = client_for(cast["officer"])  # the program's agency (dinsos)
    page = officer.get(reverse("registry:household_detail", args=[home.pk]))
    assert page.status_code == 200


def test_a_resident_cannot_apply_for_another_households_member(client_for, cast, other_home, training):
    from bansos.programs.models import Enrollment

    stranger = other_home.residents.get(relation="head")
    response = client_for(cast["resident"]).post(reverse("portal:apply", args=[training.pk]),
                                                 {"resident": stranger.pk})
    assert response.status_code == 400  # not one of the form's choices
    from bansos.core.errors import NotFoundError
    from bansos.portal.services.applications import application_create

    with pytest.raises(NotFoundError):
        application_create(actor=cast["resident"], program=training, resident_id=stranger.pk)
    assert not Enrollment.objects.exists()


def test_the_api_refuses_another_households_member_as_not_found(client_for, cast, other_home, training):
    from bansos.programs.models import Enrollment

    stranger = other_home.residents.get(relation="head")
    response = client_for(cast["resident"]).post(reverse("api:portal_apply", args=[training.pk]),
                                                 {"resident_id": stranger.pk}, content_type="application/json")
    assert response.status_code == 404
    assert not Enrollment.objects.exists()


def test_a_program_not_open_for_residents_refuses_applications(client_for, cast, home, cash_program):
    from bansos.programs.models import Enrollment

    response = client_for(cast["resident"]).post(reverse("api:portal_apply", args=[cash_program.pk]), {},
                                                 content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "program_not_open_for_residents"
    assert not Enrollment.objects.exists()


def test_a_draft_program_is_not_found(client_for, cast, draft_program):
    assert client_for(cast["resident"]).get(reverse("portal:apply", args=[draft_program.pk])).status_code == 404


def test_a_person_program_needs_a_member_and_one_application_per_member(client_for, cast, home, training):
    from bansos.programs.models import Enrollment

    client = client_for(cast["resident"])
    url = reverse("api:portal_apply", args=[training.pk])
    assert client.post(url, {}, content_type="application/json").json()["code"] == "resident_required"
    spouse = home.residents.get(relation="spouse")
    assert client.post(url, {"resident_id": spouse.pk}, content_type="application/json").status_code == 201
    again = client.post(url, {"resident_id": spouse.pk}, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "already_enrolled"
    assert Enrollment.objects.count() == 1


def test_staff_cannot_use_the_resident_api(client_for, cast, training):
    response = client_for(cast["officer"]).get(reverse("api:portal_household_get"))
    assert response.status_code == 403


def test_the_household_api_returns_the_own_household(client_for, cast, home, training, enrol):
    enrol(training, home, "applied", resident=home.residents.get(relation="head"))
    data = client_for(cast["resident"]).get(reverse("api:portal_household_get")).json()
    assert data["kk_number"] == home.kk_number
    assert {m["id"] for m in data["members"]} == set(home.residents.values_list("pk", flat=True))
    assert [e["program"] for e in data["enrollments"]] == ["Pelatihan Menjahit"]


def test_the_public_programs_api_has_no_budget(client, training):
    data = client.get(reverse("api:portal_programs_list")).json()
    assert [p["name"] for p in data] == ["Pelatihan Menjahit"]
    assert "budget_allocated" not in data[0] and data[0]["open_for_resident_applications"] is True
