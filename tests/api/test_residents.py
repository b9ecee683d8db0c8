"""Resident operations of the API, each tried by someone allowed and someone refused."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.core.errors import MSG_NOT_FOUND, MSG_PERMISSION_DENIED
from bansos.core.formats import mask_nik
from bansos.core.models import AuditEvent
from bansos.registry.models import Resident
from bansos.registry.services import MSG_HEAD_CANNOT_LEAVE, MSG_HEAD_EXISTS, MSG_NIK_TAKEN, MSG_REASON_REQUIRED
from bansos.registry.validation import MSG_PREGNANT_SEX
from tests.factories import person

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": str(MSG_NOT_FOUND), "errors": {}}
DENIED = {"code": "permission_denied", "message": str(MSG_PERMISSION_DENIED), "errors": {}}


def _baby() -> dict:
    return {**person("Putri Ayu", "P", dt.date(2025, 3, 14), "child"), "reason": "kelahiran"}


def _member(household, name: str) -> Resident:
    return household.residents.get(full_name=name)


# --- Add ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["admin", "surveyor"])
def test_add_puts_a_new_member_in_the_household(cast, api_as, name):
    household = cast["households"]["rw1"]
    payload = _baby()
    response = api_as(cast[name]).post(f"/households/{household.pk}/residents", payload)
    assert response.status_code == 201
    body = response.json()
    assert (body["full_name"], body["nik"], body["relation"], body["education"], body["groups"]) == (
        "PUTRI AYU", payload["nik"], "child", None, ["under_five"]
    )
    resident = Resident.objects.get(pk=body["id"])
    assert (resident.household, resident.education, resident.birth_date) == (household, "", dt.date(2025, 3, 14))
    event = AuditEvent.objects.filter(action="resident.create").latest("id")
    assert (event.actor, event.reason, event.household_id) == (cast[name], "kelahiran", household.pk)


def test_add_refuses_a_second_head_and_a_taken_nik(cast, api_as, unchanged):
    household = cast["households"]["rw1"]
    taken = _member(cast["households"]["rw2"], "JOKO SUSILO")
    payload = {**person("Joko Susilo", "L", taken.birth_date, "head"), "nik": taken.nik}
    with unchanged():
        response = api_as(cast["admin"]).post(f"/households/{household.pk}/residents", payload)
    assert response.status_code == 422
    assert response.json()["errors"] == {"nik": [str(MSG_NIK_TAKEN)], "relation": [str(MSG_HEAD_EXISTS)]}


def test_add_is_refused_to_a_cadre_in_scope(cast, api_as, unchanged):
    household = cast["households"]["rw1"]
    with unchanged():
        response = api_as(cast["cadre"]).post(f"/households/{household.pk}/residents", _baby())
    assert (response.status_code, response.json()) == (403, DENIED)


@pytest.mark.parametrize(("name", "status"), [
    ("surveyor_other", 404), ("officer", 404), ("evaluator", 404), ("resident", 403), ("resident_other", 404),
])
def test_add_is_refused_outside_scope_or_permission(cast, api_as, unchanged, name, status):
    household = cast["households"]["rw1"]
    with unchanged():
        response = api_as(cast[name]).post(f"/households/{household.pk}/residents", _baby())
    assert (response.status_code, response.json()) == (status, NOT_FOUND if status == 404 else DENIED)


# --- Update -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["admin", "surveyor"])
def test_update_corrects_a_person(cast, api_as, name):
    household = cast["households"]["rw1"]
    child = _member(household, "ANDI PRATAMA")
    response = api_as(cast[name]).patch(f"/residents/{child.pk}",
                                        {"education": "smp", "occupation": "Pelajar", "reason": "rapor terbaru"})
    assert response.status_code == 200
    child.refresh_from_db()
    assert (child.education, child.occupation, child.full_name) == ("smp", "Pelajar", "ANDI PRATAMA")
    event = AuditEvent.objects.filter(action="resident.update").get()
    assert event.changes == {"education": ["", "smp"], "occupation": ["", "Pelajar"]}


def test_update_requires_a_reason(cast, api_as, unchanged):
    child = _member(cast["households"]["rw1"], "ANDI PRATAMA")
    with unchanged():
        response = api_as(cast["admin"]).patch(f"/residents/{child.pk}", {"occupation": "Pelajar"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": [str(MSG_REASON_REQUIRED)]}


def test_update_applies_the_same_rules_as_the_pages(cast, api_as, unchanged):
    child = _member(cast["households"]["rw1"], "ANDI PRATAMA")
    with unchanged():
        response = api_as(cast["admin"]).patch(f"/residents/{child.pk}", {"pregnant": True, "reason": "x"})
    assert response.status_code == 422
    assert response.json() == {"code": "validation_failed", "message": str(MSG_PREGNANT_SEX),
                               "errors": {"pregnant": [str(MSG_PREGNANT_SEX)]}}


def test_update_answer_shows_the_full_nik_to_the_surveyor(cast, api_as):
    # Every role that may write also sees full NIKs today; masking is covered by the reads.
    child = _member(cast["households"]["rw1"], "ANDI PRATAMA")
    response = api_as(cast["surveyor"]).patch(f"/residents/{child.pk}", {"occupation": "Pelajar", "reason": "x"})
    assert response.json()["nik"] == child.nik
    assert mask_nik(child.nik) != child.nik


@pytest.mark.parametrize(("name", "status"), [
    ("surveyor_other", 404), ("officer", 404), ("evaluator", 404), ("cadre", 403), ("resident", 403),
])
def test_update_is_refused_outside_scope_or_permission(cast, api_as, unchanged, name, status):
    child = _member(cast["households"]["rw1"], "ANDI PRATAMA")
    with unchanged():
        response = api_as(cast[name]).patch(f"/residents/{child.pk}", {"occupation": "Pelajar", "reason": "x"})
    assert (response.status_code, response.json()) == (status, NOT_FOUND if status == 404 else DENIED)


# --- Move ---------------------------------------------------------------------------------------


def test_move_puts_a_person_in_another_household_of_the_scope(cast, api_as):
    source, target = cast["households"]["rw1"], cast["households"]["rw1_rt2"]
    child = _member(source, "ANDI PRATAMA")
    response = api_as(cast["surveyor"]).post(f"/residents/{child.pk}/move",
                                             {"to_household": target.pk, "relation": "other_family", "reason": "ikut bibi"})
    assert response.status_code == 200
    assert (response.json()["household_id"], response.json()["relation"]) == (target.pk, "other_family")
    child.refresh_from_db()
    assert (child.household_id, child.relation) == (target.pk, "other_family")
    assert list(AuditEvent.objects.filter(action__startswith="resident.move").values_list("action", "household_id")
                .order_by("id")) == [("resident.move_out", source.pk), ("resident.move_in", target.pk)]


def test_move_treats_an_out_of_scope_target_like_a_missing_one(cast, api_as, unchanged):
    child = _member(cast["households"]["rw1"], "ANDI PRATAMA")
    client = api_as(cast["surveyor"])
    with unchanged():
        other = client.post(f"/residents/{child.pk}/move",
                            {"to_household": cast["households"]["rw2"].pk, "relation": "child", "reason": "x"})
        missing = client.post(f"/residents/{child.pk}/move", {"to_household": 999999, "relation": "child", "reason": "x"})
    assert other.status_code == missing.status_code == 422
    assert other.json() == missing.json() == {
        "code": "validation_failed", "message": "Keluarga tujuan tidak ditemukan.",
        "errors": {"to_household": ["Keluarga tujuan tidak ditemukan."]},
    }


def test_move_refuses_the_head_of_a_family_with_members(cast, api_as, unchanged):
    head = _member(cast["households"]["rw1"], "BUDI SANTOSO")
    with unchanged():
        response = api_as(cast["admin"]).post(
            f"/residents/{head.pk}/move",
            {"to_household": cast["households"]["rw2"].pk, "relation": "other", "reason": "x"},
        )
    assert response.status_code == 400
    assert response.json() == {"code": "head_has_members", "message": str(MSG_HEAD_CANNOT_LEAVE),
                               "errors": {"relation": [str(MSG_HEAD_CANNOT_LEAVE)]}}


@pytest.mark.parametrize(("name", "status"), [("surveyor_other", 404), ("cadre", 403), ("resident", 403), ("officer", 404)])
def test_move_is_refused_outside_scope_or_permission(cast, api_as, unchanged, name, status):
    child = _member(cast["households"]["rw1"], "ANDI PRATAMA")
    target = cast["households"]["rw1_rt2"]
    with unchanged():
        response = api_as(cast[name]).post(f"/residents/{child.pk}/move",
                                           {"to_household": target.pk, "relation": "child", "reason": "x"})
    assert response.status_code == status


# --- Status -------------------------------------------------------------------------------------


def test_status_records_a_death(cast, api_as):
    child = _member(cast["households"]["rw1"], "DEWI ANGGRAINI")
    response = api_as(cast["surveyor"]).post(f"/residents/{child.pk}/status", {"status": "deceased", "reason": "sakit"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["groups"]) == ("deceased", [])
    event = AuditEvent.objects.filter(action="resident.status").get()
    assert (event.changes, event.reason) == ({"status": ["active", "deceased"]}, "sakit")


def test_status_refuses_making_someone_active_again(cast, api_as, unchanged):
    child = _member(cast["households"]["rw1"], "DEWI ANGGRAINI")
    with unchanged():
        response = api_as(cast["admin"]).post(f"/residents/{child.pk}/status", {"status": "active", "reason": "x"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "status": ["Pilihan tidak valid. Pilihan yang tersedia: 'moved_out' atau 'deceased'."]
    }


@pytest.mark.parametrize(("name", "status"), [("surveyor_other", 404), ("cadre", 403), ("resident", 403), ("evaluator", 404)])
def test_status_is_refused_outside_scope_or_permission(cast, api_as, unchanged, name, status):
    child = _member(cast["households"]["rw1"], "DEWI ANGGRAINI")
    with unchanged():
        response = api_as(cast[name]).post(f"/residents/{child.pk}/status", {"status": "deceased", "reason": "x"})
    assert response.status_code == status


def test_anonymous_callers_cannot_reach_resident_operations(cast, api_as, unchanged):
    child = _member(cast["households"]["rw1"], "DEWI ANGGRAINI")
    with unchanged():
        responses = [
            api_as(None).patch(f"/residents/{child.pk}", {"occupation": "x", "reason": "x"}),
            api_as(None).post(f"/residents/{child.pk}/status", {"status": "deceased", "reason": "x"}),
            api_as(None).post(f"/residents/{child.pk}/move", {"to_household": 1, "relation": "child", "reason": "x"}),
            api_as(None).post(f"/households/{child.household_id}/residents", _baby()),
        ]
    assert [r.status_code for r in responses] == [401] * 4
