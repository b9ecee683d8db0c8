"""Programs API: the catalog, program edits and status, funding sources and allocations.

Every operation is called by someone allowed and someone refused (the refusal changing nothing),
with bearer tokens as integrations call it.
"""

from __future__ import annotations

import pytest

from bansos.core.models import AuditEvent
from bansos.programs.access import MSG_OTHER_AGENCY
from bansos.programs.models import Allocation, FundingSource, Program
from bansos.programs.services.funding import MSG_SOURCE_NOT_ENOUGH, MSG_SOURCE_NOT_SHARED
from bansos.programs.services.programs import MSG_PERIOD_ORDER, MSG_STATUS_TRANSITION
from tests.programs.api_helpers import DENIED, OTHER_AGENCY, api, unchanged  # noqa: F401
from tests.programs.conftest import program_data

pytestmark = pytest.mark.django_db


def _body(agency=None, **extra) -> dict:
    data = program_data(agency, **extra)
    data["agency"] = agency.pk if agency is not None else None
    data["start_date"], data["end_date"] = str(data["start_date"]), str(data["end_date"])
    return data


# --- Catalog ------------------------------------------------------------------------------------


@pytest.fixture
def catalog(make_program):
    return {
        "cash": make_program(name="BLT Dinsos", budget=9_000_000),
        "training": make_program("lsm", name="Pelatihan Menjahit", kind="training", participant="resident",
                                 benefit_kind="course", benefit_amount=1_500_000, benefit_periods=1,
                                 target_groups=["female_head"], capacity=20),
        "draft": make_program(name="Rencana UMKM", kind="enterprise", status="draft", target_groups=["micro_business"]),
    }


def test_it_lists_every_agency_program_with_budget_for_staff(cast, api, catalog):
    for name in ("admin", "officer", "officer_other", "evaluator", "surveyor", "cadre"):
        body = api(name).get("/programs").json()
        assert [p["name"] for p in body["items"]] == ["BLT Dinsos", "Pelatihan Menjahit", "Rencana UMKM"]
        assert body["total"] == 3
    cash = api("evaluator").get(f"/programs/{catalog['cash'].pk}").json()
    assert cash["budget"] == {"allocated": 9_000_000, "committed": 0, "disbursed": 0, "remaining": 9_000_000,
                              "cost_per_participant": 900_000, "seats_taken": 0, "seats_remaining": None}
    assert cash["agency"] == {"id": catalog["cash"].agency_id, "name": "Suku Dinas Sosial Jakarta Barat",
                              "kind": "government"}
    assert (cash["status"], cash["kind"], cash["manageable"]) == ("open", "cash", False)


def test_it_shows_residents_only_published_programs_without_budget(cast, api, catalog):
    body = api("resident").get("/programs").json()
    assert [p["name"] for p in body["items"]] == ["BLT Dinsos", "Pelatihan Menjahit"]
    assert {(p["budget"], p["rule_id"], p["manageable"]) for p in body["items"]} == {(None, None, False)}
    assert api("resident").get(f"/programs/{catalog['draft'].pk}").status_code == 404
    assert api("officer").get(f"/programs/{catalog['draft'].pk}").status_code == 200


def test_it_refuses_the_catalog_to_anonymous(cast, api, catalog):
    response = api(None).get("/programs")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_filters_the_catalog(cast, agencies, api, catalog):
    client = api("officer")

    def names(**params):
        return [p["name"] for p in client.get("/programs", params).json()["items"]]

    assert names(kind="training") == ["Pelatihan Menjahit"]
    assert names(status="draft") == ["Rencana UMKM"]
    assert names(agency=agencies["lsm"].pk) == ["Pelatihan Menjahit"]
    assert names(target_group="female_head") == ["BLT Dinsos", "Pelatihan Menjahit"]
    assert names(q="menjahit") == ["Pelatihan Menjahit"]
    assert names(q="yayasan") == ["Pelatihan Menjahit"]
    page = client.get("/programs", {"page_size": 2, "page": 2}).json()
    assert (page["total"], page["pages"], [p["name"] for p in page["items"]]) == (3, 2, ["Rencana UMKM"])


def test_the_catalog_marks_what_the_caller_may_manage(cast, api, catalog):
    rows = {p["name"]: p["manageable"] for p in api("officer").get("/programs").json()["items"]}
    assert rows == {"BLT Dinsos": True, "Pelatihan Menjahit": False, "Rencana UMKM": True}
    assert all(p["manageable"] for p in api("admin").get("/programs").json()["items"])


def test_an_unknown_program_is_not_found(cast, api):
    response = api("admin").get("/programs/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- Create, update, status ---------------------------------------------------------------------


def test_an_officer_creates_a_program_for_their_own_agency(cast, agencies, api):
    response = api("officer").post("/programs", _body(None, name="Sembako Lansia", kind="cash",
                                                       target_groups=["elderly", "poor"], capacity=50))
    assert response.status_code == 201
    body = response.json()
    program = Program.objects.get()
    assert (body["id"], body["name"], body["status"], body["agency"]["id"]) == (
        program.pk, "Sembako Lansia", "draft", agencies["dinsos"].pk)
    assert (body["target_groups"], body["capacity"], body["manageable"]) == (["elderly", "poor"], 50, True)
    assert body["budget"]["cost_per_participant"] == 900_000
    assert program.created_by == cast["officer"]
    assert AuditEvent.objects.filter(action="program.create", actor=cast["officer"]).count() == 1


def test_an_admin_creates_a_program_for_any_agency_with_a_rule(cast, agencies, api):
    from bansos.eligibility.services import rule_create

    rule = rule_create(actor=cast["admin"], name="Aturan lansia",
                       expression={"all": [{"p": "has_elderly", "op": "is", "value": True}]})
    response = api("admin").post("/programs", _body(agencies["lsm"], rule=rule.pk))
    assert response.status_code == 201
    assert (response.json()["agency"]["id"], response.json()["rule_id"]) == (agencies["lsm"].pk, rule.pk)


@pytest.mark.parametrize("name", ["evaluator", "surveyor", "cadre", "resident"])
def test_it_refuses_to_create_a_program_without_the_right(cast, agencies, api, unchanged, name):
    client = api(name)
    with unchanged():
        response = client.post("/programs", _body(agencies["dinsos"]))
    assert response.status_code == 403
    assert response.json() == DENIED


def test_an_officer_cannot_create_a_program_for_another_agency(cast, agencies, api, unchanged):
    client = api("officer")
    with unchanged():
        response = client.post("/programs", _body(agencies["lsm"]))
    assert response.status_code == 422
    assert response.json()["errors"] == {"agency": [str(MSG_OTHER_AGENCY)]}


def test_it_refuses_bad_program_input_with_every_message(cast, agencies, api, unchanged):
    client = api("admin")
    with unchanged():
        response = client.post("/programs", _body(agencies["dinsos"], name="  ", start_date="2026-05-01",
                                                         end_date="2026-04-01"))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert response.json()["errors"] == {"name": ["Wajib diisi."], "end_date": [str(MSG_PERIOD_ORDER)]}
    client = api("admin")
    with unchanged():
        response = client.post("/programs", {**_body(agencies["dinsos"]), "kind": "lottery",
                                                   "benefit_amount": -5})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"kind", "benefit_amount"}
    client = api("admin")
    with unchanged():
        response = client.post("/programs", _body(agencies["dinsos"], rule=987654))
    assert response.status_code == 422
    assert response.json()["errors"] == {"rule": ["Aturan kelayakan tidak ditemukan."]}


def test_an_officer_updates_only_the_fields_sent(cast, api, make_program):
    program = make_program(capacity=10)
    response = api("officer").patch(f"/programs/{program.pk}", {"name": "BLT Dinsos 2026", "capacity": None})
    assert response.status_code == 200
    program.refresh_from_db()
    assert (program.name, program.capacity, program.benefit_amount, program.kind) == (
        "BLT Dinsos 2026", None, 300_000, "cash")
    assert response.json()["name"] == "BLT Dinsos 2026"
    event = AuditEvent.objects.get(action="program.update")
    assert event.changes["name"][1] == "BLT Dinsos 2026"


@pytest.mark.parametrize(("name", "expected"), [("officer_other", OTHER_AGENCY), ("evaluator", DENIED)])
def test_it_refuses_to_update_another_agencys_program(cast, api, make_program, unchanged, name, expected):
    program = make_program()
    client = api(name)
    with unchanged():
        response = client.patch(f"/programs/{program.pk}", {"name": "Diambil alih"})
    assert response.status_code == 403
    assert response.json() == expected


def test_an_officer_moves_their_program_through_its_statuses(cast, api, make_program):
    program = make_program()
    client = api("officer")
    response = client.post(f"/programs/{program.pk}/status", {"status": "running", "reason": "mulai"})
    assert (response.status_code, response.json()["status"]) == (200, "running")
    response = client.post(f"/programs/{program.pk}/status", {"status": "draft"})
    assert response.status_code == 400
    assert response.json() == {"code": "program_status_transition", "errors": {},
                               "message": str(MSG_STATUS_TRANSITION) % {"old": "Berjalan", "new": "Draf"}}
    program.refresh_from_db()
    assert program.status == "running"


def test_it_refuses_a_status_change_by_another_agency(cast, api, make_program, unchanged):
    program = make_program()
    client = api("officer_other")
    with unchanged():
        response = client.post(f"/programs/{program.pk}/status", {"status": "closed"})
    assert response.status_code == 403
    assert response.json() == OTHER_AGENCY


# --- Funding ------------------------------------------------------------------------------------


@pytest.fixture
def sources(cast, agencies, source):
    from bansos.programs.services.funding import funding_source_create

    own = funding_source_create(actor=cast["admin"], data={
        "name": "Dana Yayasan", "kind": "donor", "agency": agencies["lsm"], "shared": False,
        "fiscal_year": 2026, "amount": 5_000_000})
    return {"shared": source, "lsm_only": own}


def test_the_admin_lists_every_funding_source(cast, api, sources):
    body = api("admin").get("/programs/funding-sources").json()
    assert [s["name"] for s in body] == ["CSR Bank Contoh", "Dana Yayasan"]
    assert body[1] == {"id": sources["lsm_only"].pk, "name": "Dana Yayasan", "kind": "donor",
                       "agency": {"id": sources["lsm_only"].agency_id, "name": "Yayasan Peduli Duri Kepa",
                                  "kind": "ngo"},
                       "shared": False, "fiscal_year": 2026, "amount": 5_000_000, "allocated": 0,
                       "available": 5_000_000, "note": ""}


def test_an_officer_lists_only_the_sources_they_may_draw_on(cast, api, sources):
    assert [s["name"] for s in api("officer").get("/programs/funding-sources").json()] == ["CSR Bank Contoh"]
    assert [s["name"] for s in api("officer_other").get("/programs/funding-sources").json()] == [
        "CSR Bank Contoh", "Dana Yayasan"]


@pytest.mark.parametrize("name", ["evaluator", "surveyor", "cadre", "resident"])
def test_it_refuses_the_funding_list_to_others(cast, api, sources, name):
    response = api(name).get("/programs/funding-sources")
    assert response.status_code == 403
    assert response.json() == DENIED


def test_the_admin_records_a_funding_source(cast, agencies, api):
    response = api("admin").post("/programs/funding-sources", {
        "name": "APBD DKI 2026", "kind": "apbd", "fiscal_year": 2026, "amount": 250_000_000})
    assert response.status_code == 201
    source = FundingSource.objects.get()
    assert response.json()["id"] == source.pk
    assert (source.name, source.kind, source.agency, source.shared, source.created_by) == (
        "APBD DKI 2026", "apbd", None, True, cast["admin"])


@pytest.mark.parametrize("name", ["officer", "evaluator"])
def test_it_refuses_to_record_a_funding_source_without_the_right(cast, agencies, api, unchanged, name):
    client = api(name)
    with unchanged():
        response = client.post("/programs/funding-sources", {
            "name": "Dana liar", "kind": "donor", "fiscal_year": 2026, "amount": 1_000})
    assert response.status_code == 403
    assert response.json() == DENIED


def test_it_refuses_a_funding_source_without_an_amount(cast, api, unchanged):
    client = api("admin")
    with unchanged():
        response = client.post("/programs/funding-sources", {
            "name": "Dana", "kind": "donor", "fiscal_year": 2026, "amount": 0})
    assert response.status_code == 422
    assert response.json()["errors"] == {"amount": ["Harus lebih besar dari 0."]}


def test_an_officer_allocates_a_shared_source_to_their_program(cast, api, make_program, sources):
    program = make_program()
    response = api("officer").post(f"/programs/{program.pk}/allocations", {
        "source": sources["shared"].pk, "amount": 2_700_000, "note": "tahap 1"})
    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["note"], body["budget"]["allocated"], body["budget"]["remaining"]) == (
        2_700_000, "tahap 1", 2_700_000, 2_700_000)
    assert Allocation.objects.get().actor == cast["officer"]


def test_it_refuses_allocations_outside_the_rules(cast, api, make_program, sources, unchanged):
    program = make_program()
    client = api("officer_other")
    with unchanged():
        response = client.post(f"/programs/{program.pk}/allocations", {
            "source": sources["shared"].pk, "amount": 1_000})
    assert (response.status_code, response.json()) == (403, OTHER_AGENCY)
    client = api("evaluator")
    with unchanged():
        response = client.post(f"/programs/{program.pk}/allocations", {
            "source": sources["shared"].pk, "amount": 1_000})
    assert (response.status_code, response.json()) == (403, DENIED)
    client = api("officer")
    with unchanged():
        response = client.post(f"/programs/{program.pk}/allocations", {
            "source": sources["lsm_only"].pk, "amount": 1_000})
    assert (response.status_code, response.json()) == (400, {
        "code": "source_not_shared", "message": str(MSG_SOURCE_NOT_SHARED),
        "errors": {"source": [str(MSG_SOURCE_NOT_SHARED)]}})
    client = api("officer")
    with unchanged():
        response = client.post(f"/programs/{program.pk}/allocations", {
            "source": sources["shared"].pk, "amount": 200_000_000})
    assert response.status_code == 400
    assert response.json()["message"] == str(MSG_SOURCE_NOT_ENOUGH) % {"available": "Rp 100.000.000"}
    client = api("officer")
    with unchanged():
        response = client.post(f"/programs/{program.pk}/allocations", {"source": 999999, "amount": 5})
    assert (response.status_code, response.json()["errors"]) == (422, {"source": ["Sumber dana tidak ditemukan."]})
