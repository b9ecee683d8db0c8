import datetime as dt
import json

import pytest

from bansos.meetings.models import Meeting
from tests.meetings.helpers import held_meeting, members, state
from bansos.meetings import services


@pytest.fixture
def data(cast, areas):
    admin = cast["admin"]
    m1 = held_meeting(actor=admin, rw=areas["rw1"], title="Musyawarah RW 01")
    services.attendance_add(actor=admin, meeting=m1, resident=members(cast["households"]["rw1"])["Siti"])
    services.meeting_others_set(actor=admin, meeting=m1, count=3, women=1, youth=2)
    services.need_create(actor=admin, meeting=m1, data={"category": "health", "description": "Posyandu remaja",
                                                          "hand_votes": 9})
    held_meeting(actor=admin, rw=areas["rw2"], title="Musyawarah RW 02")
    held_meeting(actor=admin, rw=None, title="Musrenbang kelurahan")
    return m1


def post(client, payload):
    return client.post("/api/meetings", data=json.dumps(payload), content_type="application/json")


def test_needs_api_gives_aggregates_per_rw(data, cast, client_for):
    response = client_for(cast["evaluator"]).get("/api/needs")
    assert response.status_code == 200
    body = response.json()
    assert [area["rw"] for area in body] == [None, 1, 2]
    rw1 = body[1]
    assert (rw1["needs"], rw1["votes"], rw1["meetings_held"]) == (1, 9, 1)
    assert rw1["top_needs"] == [{"category": "health", "description": "Posyandu remaja", "status": "raised",
                                 "votes": 9, "meeting_date": "2025-08-17"}]
    assert rw1["participation"]["women_share"] == 0.5  # Siti + 1 of 3 others = 2 of 4
    assert rw1["participation"]["youth_share"] == 0.5  # 2 of 4
    assert "SITI" not in response.content.decode()


def test_needs_api_refuses_residents_and_anonymous(data, cast, client_for):
    assert client_for(cast["resident"]).get("/api/needs").status_code == 403
    assert client_for(None).get("/api/needs").status_code == 401


def test_meetings_api_lists_own_rw_and_kelurahan_for_a_surveyor(data, cast, client_for):
    body = client_for(cast["surveyor"]).get("/api/meetings").json()
    assert sorted((m["title"], m["manageable"]) for m in body) == [("Musrenbang kelurahan", False),
                                                                   ("Musyawarah RW 01", True)]
    own = next(m for m in body if m["rw"] == 1)
    assert own["participation"]["total"] == 4
    assert own["needs"] == 1


def test_meetings_api_refuses_roles_without_meeting_rights(data, cast, client_for):
    for who in ("evaluator", "officer", "resident"):
        assert client_for(cast[who]).get("/api/meetings").status_code == 403


def test_meetings_api_creates_a_meeting_in_scope(cast, areas, client_for):
    response = post(client_for(cast["surveyor"]), {"date": "2025-09-10", "rw": 1, "title": "Kerja bakti",
                                                   "status": "held", "decisions": ["Bersih kali"]})
    assert response.status_code == 201
    body = response.json()
    assert (body["rw"], body["status"], body["decisions"], body["manageable"]) == (1, "held", ["Bersih kali"], True)
    assert Meeting.objects.get().created_by == cast["surveyor"]


@pytest.mark.parametrize("rw", [1, None])
def test_meetings_api_refuses_a_surveyor_of_rw2_out_of_scope(cast, areas, client_for, rw):
    before = state()
    response = post(client_for(cast["surveyor_other"]), {"date": "2025-09-10", "rw": rw, "title": "X"})
    assert response.status_code == 403
    assert state() == before


def test_meetings_api_refuses_bad_input(cast, areas, client_for):
    before = state()
    response = post(client_for(cast["admin"]), {"date": "2025-09-10", "rw": 9, "title": "X"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"rw": ["RW tidak ditemukan."]}
    response = post(client_for(cast["admin"]), {"date": "kemarin", "rw": 1, "title": "X"})
    assert response.status_code == 422
    assert state() == before
