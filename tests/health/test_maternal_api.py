"""Maternal-care API: a cadre's flow and refusals of everyone outside the area with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bansos.health.models_maternal import Pregnancy
from bansos.health.services_maternal import pregnancy_open
from tests.health.conftest import maternal_state

pytestmark = pytest.mark.django_db


def ago(n: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=n)).isoformat()


def test_a_cadre_opens_records_delivers_and_refers_through_the_api(cast, woman, client_for, areas):
    mother = woman()
    api = client_for(cast["cadre"])
    made = api.post("/api/health/pregnancies", {"mother_id": mother.pk, "lmp": ago(200)},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    p = made.json()
    assert p["edd"] == (timezone.localdate() - dt.timedelta(days=200) + dt.timedelta(days=280)).isoformat()
    assert "visits" in p["flags"]  # nothing in the first two trimesters
    url = f"/api/health/pregnancies/{p['id']}"
    bad = api.post(url + "/visits", {"muac_cm": "12"}, content_type="application/json")
    assert bad.status_code == 422 and "muac_cm" in bad.json()["errors"]
    visit = api.post(url + "/visits", {"visit_date": ago(1), "systolic": 140, "diastolic": 90, "muac_cm": "23.5"},
                     content_type="application/json")
    assert visit.status_code == 201 and visit.json()["high_bp"] is True and visit.json()["kek"] is False
    assert visit.json()["week"] == 28
    listed = api.get(f"/api/health/posyandu/{areas['pos1'].pk}/pregnancies").json()
    assert [x["id"] for x in listed] == [p["id"]] and "high_bp" in listed[0]["flags"]
    ref = api.post("/api/health/referrals", {"resident_id": mother.pk, "reason": "hipertensi",
                                             "referred_to": "puskesmas", "pregnancy_id": p["id"]},
                   content_type="application/json")
    assert ref.status_code == 201
    out = api.post(f"/api/health/referrals/{ref.json()['id']}/outcome", {"outcome": "attended"},
                   content_type="application/json")
    assert out.status_code == 200 and out.json()["outcome"] == "attended"
    assert [r["id"] for r in api.get("/api/health/referrals").json()] == [ref.json()["id"]]
    delivered = api.post(url + "/delivery", {"date": ago(0), "place": "puskesmas", "attendant": "midwife",
                                             "outcome": "live", "birth_weight_g": 3100},
                         content_type="application/json")
    assert delivered.status_code == 201 and delivered.json()["status"] == "delivered"
    mother.refresh_from_db()
    assert mother.pregnant is False
    pnc = api.post(url + "/postnatal", {"mother_notes": "baik"}, content_type="application/json")
    assert pnc.status_code == 201 and pnc.json()["days_after"] == 0
    session = api.post("/api/health/education-sessions", {"posyandu_id": areas["pos1"].pk, "topic": "breastfeeding",
                                                          "date": ago(0), "facilitator": "Bidan Rina"},
                       content_type="application/json")
    assert session.status_code == 201
    att = api.post(f"/api/health/education-sessions/{session.json()['id']}/attendance", {"resident_id": mother.pk},
                   content_type="application/json")
    assert att.status_code == 201 and att.json()["attendees"] == [mother.pk]


@pytest.mark.parametrize("who", ["cadre_other", "officer", "surveyor", "evaluator", "resident", None])
def test_everyone_else_is_refused_by_the_api_with_nothing_changed(cast, woman, client_for, areas, who):
    mother = woman()
    p = pregnancy_open(actor=cast["cadre"], mother=mother, data={"lmp": ago(100)})
    api = client_for(cast[who] if who else None)
    expected = 401 if who is None else 403
    before = maternal_state()
    for method, url, body in (
        ("get", f"/api/health/posyandu/{areas['pos1'].pk}/pregnancies", None),
        ("get", f"/api/health/pregnancies/{p.pk}", None),
        ("post", "/api/health/pregnancies", {"mother_id": mother.pk, "lmp": ago(50)}),
        ("post", f"/api/health/pregnancies/{p.pk}/visits", {"weight_kg": "55"}),
        ("post", f"/api/health/pregnancies/{p.pk}/end", {"status": "miscarriage", "date": ago(0), "reason": "x"}),
        ("post", "/api/health/referrals", {"resident_id": mother.pk, "reason": "x", "referred_to": "puskesmas"}),
        ("post", "/api/health/education-sessions", {"posyandu_id": areas["pos1"].pk, "topic": "tb", "date": ago(0),
                                                    "facilitator": "x"}),
    ):
        answer = getattr(api, method)(url, body, content_type="application/json") if body else getattr(api, method)(url)
        assert answer.status_code == expected, (url, answer.status_code)
    assert maternal_state() == before and Pregnancy.objects.get().status == "ongoing"
