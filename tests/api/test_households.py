"""Household operations of the API, each tried by someone allowed and someone refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bansos.core.errors import MSG_NOT_FOUND, MSG_PERMISSION_DENIED
from bansos.core.formats import mask_nik
from bansos.core.models import AuditEvent
from bansos.registry.identifiers import MSG_KK_LENGTH, MSG_NIK_SEX
from bansos.registry.models import Household, Resident
from bansos.registry.services import MSG_DISSOLVE_MEMBERS, MSG_KK_TAKEN, MSG_ONE_HEAD, MSG_REASON_REQUIRED, MSG_RT_OUT_OF_SCOPE
from tests.factories import kk_number, make_household, person

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": str(MSG_NOT_FOUND), "errors": {}}
DENIED = {"code": "permission_denied", "message": str(MSG_PERMISSION_DENIED), "errors": {}}


def _ids(response) -> list[int]:
    return sorted(item["id"] for item in response.json()["items"])


def _new_household(rt, **extra) -> dict:
    members = [
        person("Agus Salim", "L", dt.date(1985, 4, 12), "head"),
        person("Nur Aini", "P", dt.date(1988, 9, 30), "spouse"),
    ]
    return {"kk_number": kk_number(), "rt": rt.pk, "address": "Jl. Duri Kepa No. 7", "members": members,
            "reason": "pendataan RW", **extra}


# --- Search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "visible"),
    [
        ("admin", ["rw1", "rw1_rt2", "rw2"]),
        ("surveyor", ["rw1", "rw1_rt2"]),
        ("surveyor_rt", ["rw1_rt2"]),
        ("surveyor_other", ["rw2"]),
        ("cadre", ["rw1", "rw1_rt2"]),
        ("resident", ["rw1"]),
        ("resident_other", ["rw2"]),
        ("officer", []),
    ],
)
def test_search_shows_only_the_callers_scope(cast, api_as, name, visible):
    response = api_as(cast[name]).get("/households", {"status": "all"})
    assert response.status_code == 200
    assert _ids(response) == sorted(cast["households"][key].pk for key in visible)
    assert response.json()["total"] == len(visible)


def test_an_evaluator_is_refused_the_household_search(cast, api_as):
    """Evaluators read aggregates only: refused, as on the registry page (not an empty list)."""
    response = api_as(cast["evaluator"]).get("/households", {"status": "all"})
    assert response.status_code == 403


def test_search_returns_list_rows(cast, api_as):
    household = cast["households"]["rw1_rt2"]
    response = api_as(cast["admin"]).get("/households", {"female_head": "true"})
    assert response.json() == {
        "items": [{
            "id": household.pk, "kk_number": household.kk_number,
            "area": {"rt_id": household.rt_id, "rt": 2, "rw": 1, "label": "002/001"},
            "address": "Jl. Duri Raya No. 12", "status": "active", "head_name": "SRI WAHYUNI",
            "female_head": True, "member_count": 2,
        }],
        "total": 1, "page": 1, "page_size": 25, "pages": 1,
    }


def test_search_filters_by_name_rw_and_rt(cast, api_as, areas):
    client = api_as(cast["admin"])
    assert _ids(client.get("/households", {"q": "joko"})) == [cast["households"]["rw2"].pk]
    assert _ids(client.get("/households", {"rw": 2})) == [cast["households"]["rw2"].pk]
    assert _ids(client.get("/households", {"rt": areas["rt2"].pk})) == [cast["households"]["rw1_rt2"].pk]
    nik = cast["households"]["rw1"].residents.get(relation="head").nik
    assert _ids(client.get("/households", {"q": nik})) == [cast["households"]["rw1"].pk]


def test_search_pages_through_results(cast, api_as):
    client = api_as(cast["admin"])
    first = client.get("/households", {"page_size": 2})
    second = client.get("/households", {"page_size": 2, "page": 2})
    beyond = client.get("/households", {"page_size": 2, "page": 5})
    assert (first.json()["total"], first.json()["pages"], len(first.json()["items"])) == (3, 2, 2)
    assert len(second.json()["items"]) == 1
    assert set(_ids(first)) | set(_ids(second)) == {h.pk for h in cast["households"].values()}
    assert beyond.json()["items"] == []


def test_a_text_search_pages_by_kk_number_with_an_exact_total(cast, api_as, areas):
    """A text search's matches are read once and paged by KK number: every match once, in order,
    with its head, and the exact total on every page."""
    for index in range(4):
        make_household(actor=cast["admin"], rt=areas["rt1"], head_name=f"Sutrisno Warga {chr(65 + index)}")
    moved = make_household(actor=cast["admin"], rt=areas["rt3"], head_name="Sutrisno Lain")
    Household.objects.filter(pk=moved.pk).update(status="moved")
    client = api_as(cast["admin"])
    pages = [client.get("/households", {"q": "sutrisno", "page_size": 3, "page": n}).json() for n in (1, 2, 3)]
    expected = list(Household.objects.filter(status="active", residents__full_name__istartswith="sutrisno")
                    .distinct().order_by("kk_number", "pk").values_list("pk", flat=True))
    assert len(expected) == 4
    assert [(p["total"], p["pages"]) for p in pages] == [(4, 2)] * 3
    assert [item["id"] for p in pages for item in p["items"]] == expected
    assert all(item["head_name"].upper().startswith("SUTRISNO") for item in pages[0]["items"]), pages[0]
    assert pages[2]["items"] == []


def test_search_refuses_a_page_size_over_the_maximum(cast, api_as):
    response = api_as(cast["admin"]).get("/households", {"page_size": 101})
    assert response.status_code == 422
    assert response.json() == {"code": "validation_failed", "message": "Paling besar 100.",
                               "errors": {"page_size": ["Paling besar 100."]}}


def test_search_refuses_an_unknown_status(cast, api_as):
    response = api_as(cast["admin"]).get("/households", {"status": "hilang"})
    message = "Pilihan tidak valid. Pilihan yang tersedia: 'active', 'moved', 'dissolved' atau 'all'."
    assert response.status_code == 422
    assert response.json() == {"code": "validation_failed", "message": message, "errors": {"status": [message]}}


def test_search_runs_a_fixed_number_of_queries(cast, api_as, areas):
    client = api_as(cast["admin"])
    client.get("/households")  # warm the session and content types

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/households").status_code == 200
        return len(queries)

    few = count()
    for index in range(6):
        make_household(actor=cast["admin"], rt=areas["rt1"], head_name=f"Warga Tambahan {chr(65 + index)}")
    # Session + user, then count, page, and the heads of the page: no query per row.
    assert few == 5
    assert count() == 5


# --- Read ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "full"), [("admin", True), ("surveyor", True), ("cadre", False), ("resident", False)])
def test_read_shows_members_with_nik_masked_unless_allowed(cast, api_as, name, full):
    household = cast["households"]["rw1"]
    response = api_as(cast[name]).get(f"/households/{household.pk}")
    assert response.status_code == 200
    body = response.json()
    expected = {r.pk: (r.nik if full else mask_nik(r.nik)) for r in household.residents.all()}
    assert {m["id"]: m["nik"] for m in body["members"]} == expected
    assert {m["nik_masked"] for m in body["members"]} == {not full}
    assert [m["full_name"] for m in body["members"]] == ["BUDI SANTOSO", "SITI AMINAH", "ANDI PRATAMA", "DEWI ANGGRAINI"]
    assert (body["kk_number"], body["monthly_income"], body["floor_material"], body["female_head"]) == (
        household.kk_number, 2_500_000, None, False
    )


@pytest.mark.parametrize("name", ["surveyor_other", "resident_other", "officer", "evaluator", "cadre_other"])
def test_read_answers_404_outside_scope_like_a_missing_id(cast, api_as, name):
    household = cast["households"]["rw1"]
    response = api_as(cast[name]).get(f"/households/{household.pk}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    missing = api_as(cast[name]).get("/households/999999")
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)


# --- Create -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["admin", "surveyor"])
def test_create_registers_a_household_with_members(cast, api_as, areas, name):
    payload = _new_household(areas["rt1"])
    events = AuditEvent.objects.count()
    response = api_as(cast[name]).post("/households", payload)
    assert response.status_code == 201
    body = response.json()
    household = Household.objects.get(pk=body["id"])
    assert (household.kk_number, household.rt, household.address) == (payload["kk_number"], areas["rt1"],
                                                                       "Jl. Duri Kepa No. 7")
    assert sorted(household.residents.values_list("full_name", "relation")) == [("AGUS SALIM", "head"),
                                                                                ("NUR AINI", "spouse")]
    assert [m["nik"] for m in body["members"]] == [m["nik"] for m in payload["members"]]
    assert AuditEvent.objects.count() == events + 3
    assert AuditEvent.objects.filter(action="household.create").latest("id").actor == cast[name]


def test_create_refuses_an_rt_outside_the_surveyors_rw(cast, api_as, areas, unchanged):
    with unchanged():
        response = api_as(cast["surveyor"]).post("/households", _new_household(areas["rt3"]))
    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied", "message": str(MSG_RT_OUT_OF_SCOPE), "errors": {}}


@pytest.mark.parametrize("name", ["officer", "cadre", "evaluator", "resident"])
def test_create_is_refused_to_roles_without_the_permission(cast, api_as, areas, unchanged, name):
    with unchanged():
        response = api_as(cast[name]).post("/households", _new_household(areas["rt1"]))
    assert (response.status_code, response.json()) == (403, DENIED)


def test_create_reports_every_problem_with_the_pages_messages(cast, api_as, areas, unchanged):
    payload = _new_household(areas["rt1"], kk_number="12345")
    payload["members"][1]["sex"] = "L"  # her NIK says female
    payload["members"][1]["relation"] = "head"
    with unchanged():
        response = api_as(cast["admin"]).post("/households", payload)
    assert response.status_code == 422
    assert response.json() == {
        "code": "validation_failed",
        "message": str(MSG_KK_LENGTH) % {"length": 5},
        "errors": {
            "kk_number": [str(MSG_KK_LENGTH) % {"length": 5}],
            "members.1.nik": [str(MSG_NIK_SEX) % {"nik_sex": "perempuan", "record_sex": "laki-laki"}],
            "members": [str(MSG_ONE_HEAD)],
        },
    }


def test_create_refuses_a_kk_number_in_use(cast, api_as, areas, unchanged):
    payload = _new_household(areas["rt1"], kk_number=cast["households"]["rw2"].kk_number)
    with unchanged():
        response = api_as(cast["admin"]).post("/households", payload)
    assert response.status_code == 422
    assert response.json()["errors"] == {"kk_number": [str(MSG_KK_TAKEN)]}


def test_create_reports_schema_errors_in_indonesian(cast, api_as, unchanged):
    with unchanged():
        response = api_as(cast["admin"]).post(
            "/households", {"kk_number": "3173050203150001", "rt": "satu", "members": [{"sex": "X", "birth_date": "17-08-1980"}]}
        )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "rt": ["Harus berupa bilangan bulat."],
        "address": ["Wajib diisi."],
        "members.0.nik": ["Wajib diisi."],
        "members.0.full_name": ["Wajib diisi."],
        "members.0.sex": ["Pilihan tidak valid. Pilihan yang tersedia: 'L' atau 'P'."],
        "members.0.birth_date": ["Tanggal tidak valid; gunakan format TTTT-BB-HH."],
        "members.0.relation": ["Wajib diisi."],
    }


def test_create_refuses_an_unknown_rt(cast, api_as, unchanged):
    with unchanged():
        response = api_as(cast["admin"]).post("/households", {**_new_household(cast["households"]["rw1"].rt), "rt": 99999})
    assert response.status_code == 422
    assert response.json()["errors"] == {"rt": ["RT tidak ditemukan."]}


# --- Update -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["admin", "surveyor"])
def test_update_changes_only_the_fields_sent(cast, api_as, name):
    household = cast["households"]["rw1"]
    response = api_as(cast[name]).patch(
        f"/households/{household.pk}",
        {"phone": "0812 3456 7890", "floor_material": "cement", "asset_motorbike": True, "reason": "survei ulang"},
    )
    assert response.status_code == 200
    household.refresh_from_db()
    assert (household.phone, household.floor_material, household.asset_motorbike, household.address,
            household.monthly_income) == ("081234567890", "cement", True, "Jl. Duri Raya No. 12", 2_500_000)
    event = AuditEvent.objects.filter(action="household.update").get()
    assert event.changes == {"phone": ["", "081234567890"], "floor_material": ["", "cement"],
                             "asset_motorbike": [False, True]}
    assert event.reason == "survei ulang"


def test_update_clears_a_choice_with_null(cast, api_as):
    household = cast["households"]["rw1"]
    client = api_as(cast["admin"])
    client.patch(f"/households/{household.pk}", {"toilet": "shared", "reason": "survei"})
    response = client.patch(f"/households/{household.pk}", {"toilet": None, "reason": "koreksi"})
    assert response.status_code == 200
    assert response.json()["toilet"] is None
    household.refresh_from_db()
    assert household.toilet == ""


def test_update_requires_a_reason(cast, api_as, unchanged):
    household = cast["households"]["rw1"]
    with unchanged():
        response = api_as(cast["admin"]).patch(f"/households/{household.pk}", {"address": "Jl. Baru"})
    assert response.status_code == 422
    assert response.json() == {"code": "validation_failed", "message": str(MSG_REASON_REQUIRED),
                               "errors": {"reason": [str(MSG_REASON_REQUIRED)]}}


@pytest.mark.parametrize(("name", "status"), [
    ("surveyor_other", 404), ("officer", 404), ("evaluator", 404), ("cadre", 403), ("resident", 403),
])
def test_update_is_refused_outside_scope_or_permission(cast, api_as, unchanged, name, status):
    household = cast["households"]["rw1"]
    with unchanged():
        response = api_as(cast[name]).patch(f"/households/{household.pk}", {"address": "Jl. Baru", "reason": "x"})
    assert (response.status_code, response.json()) == (status, NOT_FOUND if status == 404 else DENIED)


# --- Status -------------------------------------------------------------------------------------


def test_status_marks_a_household_moved_with_its_members(cast, api_as):
    household = cast["households"]["rw1"]
    response = api_as(cast["surveyor"]).post(f"/households/{household.pk}/status",
                                             {"status": "moved", "reason": "pindah ke Depok"})
    assert response.status_code == 200
    assert response.json()["status"] == "moved"
    assert set(household.residents.values_list("status", flat=True)) == {"moved_out"}


def test_status_refuses_dissolving_a_household_with_members(cast, api_as, unchanged):
    household = cast["households"]["rw1"]
    with unchanged():
        response = api_as(cast["admin"]).post(f"/households/{household.pk}/status",
                                              {"status": "dissolved", "reason": "bubar"})
    assert response.status_code == 400
    assert response.json() == {"code": "household_has_members", "message": str(MSG_DISSOLVE_MEMBERS),
                               "errors": {"status": [str(MSG_DISSOLVE_MEMBERS)]}}


def test_status_refuses_an_impossible_transition(cast, api_as, unchanged):
    household = cast["households"]["rw1"]
    with unchanged():
        response = api_as(cast["admin"]).post(f"/households/{household.pk}/status", {"status": "active", "reason": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "status_transition"
    assert response.json()["message"] == "Status tidak dapat diubah dari Aktif menjadi Aktif."


@pytest.mark.parametrize(("name", "status"), [("surveyor_other", 404), ("cadre", 403), ("resident", 403), ("officer", 404)])
def test_status_is_refused_outside_scope_or_permission(cast, api_as, unchanged, name, status):
    household = cast["households"]["rw1"]
    with unchanged():
        response = api_as(cast[name]).post(f"/households/{household.pk}/status", {"status": "moved", "reason": "x"})
    assert response.status_code == status


# --- Head ---------------------------------------------------------------------------------------


def test_change_head_swaps_the_relations(cast, api_as):
    household = cast["households"]["rw1"]
    wife = household.residents.get(full_name="SITI AMINAH")
    response = api_as(cast["surveyor"]).post(f"/households/{household.pk}/head",
                                             {"new_head": wife.pk, "old_head_relation": "spouse", "reason": "suami merantau"})
    assert response.status_code == 200
    assert {m["full_name"]: m["relation"] for m in response.json()["members"]}["SITI AMINAH"] == "head"
    assert household.residents.get(full_name="BUDI SANTOSO").relation == "spouse"
    assert response.json()["female_head"] is True


def test_change_head_refuses_a_person_of_another_household(cast, api_as, unchanged):
    household = cast["households"]["rw1"]
    stranger = cast["households"]["rw2"].residents.first()
    with unchanged():
        response = api_as(cast["admin"]).post(f"/households/{household.pk}/head",
                                              {"new_head": stranger.pk, "old_head_relation": "spouse", "reason": "x"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "new_head_not_member", "message": "Kepala keluarga baru harus anggota aktif keluarga ini.",
        "errors": {"new_head": ["Kepala keluarga baru harus anggota aktif keluarga ini."]},
    }


@pytest.mark.parametrize(("name", "status"), [("surveyor_other", 404), ("cadre", 403), ("resident", 403)])
def test_change_head_is_refused_outside_scope_or_permission(cast, api_as, unchanged, name, status):
    household = cast["households"]["rw1"]
    wife = household.residents.get(full_name="SITI AMINAH")
    with unchanged():
        response = api_as(cast[name]).post(f"/households/{household.pk}/head",
                                           {"new_head": wife.pk, "old_head_relation": "spouse", "reason": "x"})
    assert response.status_code == status


# --- History ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "full"), [("admin", True), ("surveyor", True), ("cadre", False), ("resident", False)])
def test_history_masks_nik_values_unless_allowed(cast, api_as, name, full):
    household = cast["households"]["rw1"]
    response = api_as(cast[name]).get(f"/households/{household.pk}/history")
    assert response.status_code == 200
    events = response.json()
    assert [e["action"] for e in events] == ["resident.create"] * 4 + ["household.create"]
    niks = {e["object_label"]: e["changes"]["nik"] for e in events if e["action"] == "resident.create"}
    expected = {r.full_name: [None, r.nik if full else mask_nik(r.nik)] for r in household.residents.all()}
    assert niks == expected
    assert {(e["actor"], e["reason"]) for e in events} == {("admin", "pendataan awal")}


def test_history_limits_the_number_of_events(cast, api_as):
    household = cast["households"]["rw1"]
    assert len(api_as(cast["admin"]).get(f"/households/{household.pk}/history", {"limit": 2}).json()) == 2
    assert api_as(cast["admin"]).get(f"/households/{household.pk}/history", {"limit": 201}).status_code == 422


@pytest.mark.parametrize("name", ["surveyor_other", "resident_other", "officer", "evaluator"])
def test_history_answers_404_outside_scope(cast, api_as, name):
    household = cast["households"]["rw1"]
    response = api_as(cast[name]).get(f"/households/{household.pk}/history")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
