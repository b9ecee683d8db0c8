"""Training API: reads, attendance, finish, certificates, public verification, feedback; refusals."""

from __future__ import annotations

import json

import pytest

from bansos.training.models import Attendance, Certificate
from tests.training.conftest import mark, today, training_state


def post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def running(cast, course, with_people):
    c = course(sessions=4)
    return c, with_people(c, 2)


def test_course_list_and_detail(cast, running, client_for):
    c, (a, _b) = running
    mark(cast["officer"], c, [a], 3)
    client = client_for(cast["officer"])
    rows = client.get("/api/training/courses", {"status": "running"}).json()
    assert [(r["id"], r["participants_active"], r["sessions"], r["partner"]) for r in rows] == [
        (c.pk, 2, 4, "PT Sentosa Uji")]
    detail = client.get(f"/api/training/courses/{c.pk}").json()
    assert [s["present"] for s in detail["session_list"]] == [1, 1, 1, 0]
    ani = next(p for p in detail["participant_list"] if p["id"] == a.pk)
    assert (ani["attended"], ani["attendance_pct"], ani["outcome"], ani["outcome_frozen"]) == (3, 75, "completed", False)
    assert client.get(f"/api/training/courses/{c.pk}/sessions").status_code == 200
    assert len(client.get(f"/api/training/courses/{c.pk}/participants").json()) == 2
    assert client_for(cast["officer_other"]).get(f"/api/training/courses/{c.pk}").status_code == 403
    assert client_for(cast["surveyor"]).get("/api/training/courses").status_code == 403


def test_attendance_through_the_api(cast, partner_officer, running, client_for):
    c, (a, _b) = running
    s = c.sessions.first()
    url = f"/api/training/sessions/{s.pk}/attendance"
    for _ in range(2):
        response = post(client_for(partner_officer), url, {"participant_id": a.pk, "present": True})
        assert response.status_code == 200
        assert response.json() == {"session_id": s.pk, "participant_id": a.pk, "present": True, "present_count": 1,
                                   "absent_count": 1, "total": 2}
    before = training_state()
    response = post(client_for(cast["officer_other"]), url, {"participant_id": a.pk, "present": False})
    assert response.status_code == 403 and training_state() == before
    assert Attendance.objects.count() == 1


def test_attendance_refused_for_a_future_session(cast, course, with_people, client_for):
    c = course(sessions=1, future=1)
    (a,) = with_people(c, 1)
    ahead = c.sessions.get(date__gt=today())
    response = post(client_for(cast["officer"]), f"/api/training/sessions/{ahead.pk}/attendance",
                    {"participant_id": a.pk, "present": True})
    assert response.status_code == 400 and response.json()["code"] == "session_future"


def test_finish_certificate_revoke_and_verify(cast, running, client_for, client):
    c, (a, b) = running
    mark(cast["officer"], c, [a], 3)
    officer = client_for(cast["officer"])
    partner_refused = post(client_for(cast["officer_other"]), f"/api/training/courses/{c.pk}/finish")
    assert partner_refused.status_code == 403
    detail = post(officer, f"/api/training/courses/{c.pk}/finish").json()
    assert detail["status"] == "finished"
    assert {p["id"]: p["outcome"] for p in detail["participant_list"]} == {a.pk: "completed", b.pk: "not_completed"}
    assert post(officer, f"/api/training/participants/{b.pk}/certificate").json()["code"] == "not_completed"
    issued = post(officer, f"/api/training/participants/{a.pk}/certificate")
    assert issued.status_code == 201
    again = post(officer, f"/api/training/participants/{a.pk}/certificate").json()
    assert again["code"] == issued.json()["code"] and Certificate.objects.count() == 1
    code = issued.json()["code"]
    verified = client.get(f"/api/training/verify/{code}").json()
    assert verified["status"] == "genuine" and verified["initials"] == "A. L."
    assert set(verified) == {"status", "initials", "course", "completed_on", "revoked_on"}
    revoked = post(officer, f"/api/training/certificates/{issued.json()['id']}/revoke", {"reason": "Salah catat"})
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.get(f"/api/training/verify/{code}").json()["status"] == "revoked"
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert client.get(f"/api/training/verify/{tampered}").json() == {
        "status": "invalid", "initials": None, "course": None, "completed_on": None, "revoked_on": None}


def test_feedback_through_the_api(cast, running, client_for):
    c, (a, _b) = running
    s = c.sessions.first()
    officer = client_for(cast["officer"])
    response = post(officer, f"/api/training/participants/{a.pk}/feedback",
                    {"rating": 5, "comment": "Pelatihnya sabar", "session_id": s.pk})
    assert response.status_code == 201
    bad = post(officer, f"/api/training/participants/{a.pk}/feedback", {"rating": 9})
    assert bad.status_code == 422
    summary = officer.get(f"/api/training/courses/{c.pk}/feedback").json()
    assert summary["count"] == 1 and summary["trainers"] == [{"trainer": "Bu Rina", "average": 5.0, "count": 1}]
