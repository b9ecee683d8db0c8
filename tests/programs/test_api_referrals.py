"""Programs API: referrals between programs, and the kelurahan's overlap policies."""

from __future__ import annotations

import pytest

from bansos.core.models import AuditEvent
from bansos.programs.models import Enrollment, OverlapPolicy, Referral
from bansos.programs.services import enrollment as svc
from bansos.programs.services.overlap import MSG_POLICY_EXISTS
from bansos.programs.services.referrals import MSG_FROM_NOT_ENROLLED, MSG_REASON_REQUIRED, referral_send
from tests.programs.api_helpers import DENIED, OTHER_AGENCY, api, unchanged  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(cast, make_program):
    """Cash aid of the officer's agency (the family of RW 1 in it) and a training of the other agency."""
    cash = make_program(name="BLT Dinsos", budget=900_000)
    training = make_program("lsm", name="Pelatihan Menjahit", kind="training", benefit_kind="course")
    svc.enrollment_apply(actor=cast["admin"], program=cash, household=cast["households"]["rw1"])
    return {"cash": cash, "training": training, "household": cast["households"]["rw1"]}


def _send(client, path, **extra):
    return client.post("/programs/referrals", {"household": path["household"].pk, "to_program": path["training"].pk,
                                               "from_program": path["cash"].pk, "note": "Siap berlatih", **extra})


# --- Send ---------------------------------------------------------------------------------------


def test_an_officer_refers_a_family_from_their_program(cast, api, path):
    response = _send(api("officer"), path)
    assert response.status_code == 201
    referral = Referral.objects.get()
    body = response.json()
    assert body["id"] == referral.pk
    assert (body["status"], body["note"], body["kk_number"]) == ("sent", "Siap berlatih",
                                                                 path["household"].kk_number)
    assert body["from_program"] == {"id": path["cash"].pk, "kind": "cash", "name": "BLT Dinsos",
                                    "agency": "Suku Dinas Sosial Jakarta Barat"}
    assert body["to_program"]["name"] == "Pelatihan Menjahit"
    assert referral.created_by == cast["officer"]


def test_the_admin_refers_without_a_sending_program(cast, api, path):
    response = api("admin").post("/programs/referrals", {"household": cast["households"]["rw2"].pk,
                                                        "to_program": path["training"].pk})
    assert response.status_code == 201
    assert response.json()["from_program"] is None


@pytest.mark.parametrize(("name", "with_from", "expected"), [
    ("officer_other", True, OTHER_AGENCY),
    ("officer", False, DENIED),
    ("evaluator", True, DENIED),
    ("surveyor", True, DENIED),
    ("resident", True, DENIED),
])
def test_it_refuses_referrals_without_the_right(cast, api, path, unchanged, name, with_from, expected):
    client = api(name)
    with unchanged():
        response = _send(client, path, **({} if with_from else {"from_program": None}))
    assert (response.status_code, response.json()) == (403, expected)


def test_it_refuses_a_referral_of_a_family_not_in_the_sending_program(cast, api, path, unchanged):
    client = api("officer")
    with unchanged():
        response = _send(client, path, household=cast["households"]["rw2"].pk)
    assert (response.status_code, response.json()) == (400, {
        "code": "referral_not_enrolled", "message": str(MSG_FROM_NOT_ENROLLED), "errors": {}})
    with unchanged():
        response = _send(client, path, to_program=987654)
    assert (response.status_code, response.json()["errors"]) == (422, {"to_program": ["Program tidak ditemukan."]})


# --- List ---------------------------------------------------------------------------------------


def test_the_receiving_officer_sees_only_the_kind_of_the_sending_program(cast, api, path):
    referral = referral_send(actor=cast["officer"], household=path["household"], to_program=path["training"],
                             from_program=path["cash"], note="Siap berlatih")
    incoming = api("officer_other").get("/programs/referrals", {"direction": "in"}).json()
    assert [r["id"] for r in incoming] == [referral.pk]
    assert incoming[0]["from_program"] == {"id": None, "kind": "cash", "name": None, "agency": None}
    assert incoming[0]["to_program"]["name"] == "Pelatihan Menjahit"
    assert "BLT Dinsos" not in api("officer_other").get("/programs/referrals").content.decode()
    assert api("officer_other").get("/programs/referrals", {"direction": "out"}).json() == []
    outgoing = api("officer").get("/programs/referrals", {"direction": "out"}).json()
    assert [r["from_program"]["name"] for r in outgoing] == ["BLT Dinsos"]
    assert api("officer").get("/programs/referrals", {"direction": "in"}).json() == []
    assert [r["id"] for r in api("admin").get("/programs/referrals", {"status": "sent"}).json()] == [referral.pk]
    assert api("admin").get("/programs/referrals", {"status": "declined"}).json() == []


@pytest.mark.parametrize("name", ["evaluator", "surveyor", "cadre", "resident"])
def test_it_refuses_the_referral_list_to_others(cast, api, path, name):
    response = api(name).get("/programs/referrals")
    assert (response.status_code, response.json()) == (403, DENIED)


# --- Answer -------------------------------------------------------------------------------------


@pytest.fixture
def referral(cast, path):
    return referral_send(actor=cast["officer"], household=path["household"], to_program=path["training"],
                         from_program=path["cash"], note="Siap berlatih")


def test_the_receiving_officer_accepts_then_enrols(cast, api, path, referral):
    client = api("officer_other")
    url = f"/programs/referrals/{referral.pk}/answer"
    response = client.post(url, {"action": "accept", "response": "Kelas Juni"})
    assert (response.status_code, response.json()["status"], response.json()["response"]) == (
        200, "accepted", "Kelas Juni")
    response = client.post(url, {"action": "enroll", "response": "Didaftarkan"})
    assert response.status_code == 200
    enrollment = Enrollment.objects.get(program=path["training"])
    assert (response.json()["status"], response.json()["enrollment_id"]) == ("enrolled", enrollment.pk)
    assert (enrollment.channel, enrollment.applied_by) == ("referral", cast["officer_other"])
    assert AuditEvent.objects.filter(action="referral.enroll", actor=cast["officer_other"]).count() == 1


def test_declining_needs_a_reason(cast, api, referral, unchanged):
    client = api("officer_other")
    url = f"/programs/referrals/{referral.pk}/answer"
    with unchanged():
        response = client.post(url, {"action": "decline"})
    assert (response.status_code, response.json()) == (400, {
        "code": "reason_required", "message": str(MSG_REASON_REQUIRED),
        "errors": {"response": [str(MSG_REASON_REQUIRED)]}})
    response = client.post(url, {"action": "decline", "response": "Kuota penuh"})
    assert (response.status_code, response.json()["status"]) == (200, "declined")
    with unchanged():
        response = client.post(url, {"action": "accept"})
    assert (response.status_code, response.json()["code"]) == (400, "referral_transition")


@pytest.mark.parametrize(("name", "status", "expected"), [
    ("officer", 403, OTHER_AGENCY),  # the sender cannot answer for the receiving agency
    ("evaluator", 403, DENIED),
    ("resident", 403, DENIED),
])
def test_it_refuses_answers_from_anyone_but_the_receiving_agency(cast, api, referral, unchanged, name, status,
                                                                 expected):
    client = api(name)
    with unchanged():
        response = client.post(f"/programs/referrals/{referral.pk}/answer", {"action": "accept"})
    assert (response.status_code, response.json()) == (status, expected)


def test_a_referral_outside_the_callers_agencies_is_not_found(cast, api, make_program, referral):
    third = make_program(name="Bantuan Lain")
    hidden = referral_send(actor=cast["admin"], household=cast["households"]["rw2"], to_program=third)
    response = api("officer_other").post(f"/programs/referrals/{hidden.pk}/answer", {"action": "accept"})
    assert response.status_code == 404


# --- Overlap policies ---------------------------------------------------------------------------


def test_the_admin_lists_and_creates_overlap_policies(cast, api):
    client = api("admin")
    response = client.post("/programs/overlap-policies", {"kind_a": "training", "kind_b": "cash", "effect": "warn",
                                                         "note": "Pelatihan bersama bantuan tunai"})
    assert response.status_code == 201
    policy = OverlapPolicy.objects.get()
    # Stored with the kinds in order, so (cash, training) and (training, cash) are one policy.
    assert response.json() == {"id": policy.pk, "kind_a": "cash", "kind_b": "training", "effect": "warn",
                               "same_period": True, "note": "Pelatihan bersama bantuan tunai", "is_active": True}
    assert client.get("/programs/overlap-policies").json() == [response.json()]
    with_unchanged = client.post("/programs/overlap-policies", {"kind_a": "cash", "kind_b": "training",
                                                                "effect": "forbid"})
    assert (with_unchanged.status_code, with_unchanged.json()["message"]) == (400, str(MSG_POLICY_EXISTS))
    assert OverlapPolicy.objects.count() == 1


@pytest.mark.parametrize("name", ["officer", "evaluator", "surveyor", "resident"])
def test_it_refuses_overlap_policies_to_others(cast, api, unchanged, name):
    client = api(name)
    with unchanged():
        created = client.post("/programs/overlap-policies", {"kind_a": "cash", "kind_b": "cash", "effect": "forbid"})
        listed = client.get("/programs/overlap-policies")
    assert [(r.status_code, r.json()) for r in (created, listed)] == [(403, DENIED)] * 2
