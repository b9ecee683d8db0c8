"""Grievance pages and API: public form and status, the resident's pages, the staff queue, detail and dashboard."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bansos.grievances import services as s
from bansos.grievances.models import Grievance, State
from tests.grievances.conftest import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


FORM = {"category": "aid_not_received", "subject": "BLT belum sampai", "description": "Sudah dua bulan.",
        "name": "Siti Aminah", "phone": "081234567890"}


def test_anyone_files_a_grievance_and_follows_it_by_code(cast):
    client = Client(enforce_csrf_checks=False)
    response = client.post(reverse("grievances:file"), FORM)
    g = Grievance.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("grievances:track", args=[g.code])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert s.display_code(g.code) in page.content.decode()


def test_the_public_form_refuses_bad_input_and_stores_nothing(cast):
    response = Client().post(reverse("grievances:file"), {**FORM, "phone": "123"})
    assert response.status_code == 400 and "Nomor HP tidak valid" in response.content.decode()
    assert not Grievance.objects.exists()


def test_the_public_form_is_throttled_per_client(cast):
    client = Client()
    for _ in range(5):
        assert client.post(reverse("grievances:file"), FORM).status_code == 302
    assert client.post(reverse("grievances:file"), FORM).status_code == 429
    assert Grievance.objects.count() == 5


def test_the_public_form_needs_csrf(cast):
    response = Client(enforce_csrf_checks=True).post(reverse("grievances:file"), FORM)
    assert response.status_code == 403 and not Grievance.objects.exists()


def test_the_status_page_shows_public_answers_only(cast, file):
    g = file()
    s.grievance_note(actor=cast["admin"], grievance=g, message="CATATAN-RAHASIA")
    s.grievance_respond(actor=cast["admin"], grievance=g, message="Jawaban untuk warga")
    body = Client().get(reverse("grievances:track", args=[g.code])).content.decode()
    assert "Jawaban untuk warga" in body
    assert "CATATAN-RAHASIA" not in body and "Siti Aminah" not in body and "081234567890" not in body


def test_an_unknown_code_is_a_404(cast):
    assert Client().get(reverse("grievances:track", args=["ZZZZZZZZZZZZ"])).status_code == 404
    response = Client().get(reverse("grievances:track_form"), {"kode": "zzzz-zzzz-zzzz"})
    assert response.status_code == 302


def test_accept_and_appeal_by_code_and_phone(cast, file):
    g = s.grievance_resolve(actor=cast["admin"], grievance=file(), resolution="Selesai.")
    client = Client()
    client.post(reverse("grievances:track_appeal", args=[g.code]), {"phone": "081200000000", "reason": "x"})
    g.refresh_from_db()
    assert g.state == State.RESOLVED
    client.post(reverse("grievances:track_appeal", args=[g.code]), {"phone": "0812 3456 7890", "reason": "Belum."})
    g.refresh_from_db()
    assert (g.state, g.appeal_count) == (State.APPEALED, 1)


def test_a_resident_files_and_sees_only_its_own(cast, client_for, file):
    mine = file(actor=cast["resident"])
    theirs = file(actor=cast["resident_other"])
    client = client_for(cast["resident"])
    response = client.post(reverse("grievances:file"), {**FORM, "name": "", "phone": ""})
    assert response.status_code == 302
    listing = client.get(reverse("grievances:my_list")).content.decode()
    assert mine.subject in listing and listing.count("BLT belum sampai") == 1
    assert client.get(reverse("grievances:my_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("grievances:my_detail", args=[theirs.pk])).status_code == 404


def test_a_resident_accepts_from_its_page(cast, client_for, file):
    g = s.grievance_resolve(actor=cast["admin"], grievance=file(actor=cast["resident"]), resolution="Selesai.")
    client_for(cast["resident_other"]).post(reverse("grievances:my_accept", args=[g.pk]))
    g.refresh_from_db()
    assert g.state == State.RESOLVED
    client_for(cast["resident"]).post(reverse("grievances:my_accept", args=[g.pk]))
    g.refresh_from_db()
    assert g.state == State.CLOSED


def test_staff_queue_filters_and_scope(cast, client_for, file, program, other_program):
    mine = file(program=program.pk, subject="Keluhan dinsos")
    file(program=other_program.pk, subject="Keluhan LSM")
    body = client_for(cast["officer"]).get(reverse("grievances:queue")).content.decode()
    assert "Keluhan dinsos" in body and "Keluhan LSM" not in body
    admin = client_for(cast["admin"])
    body = admin.get(reverse("grievances:queue"), {"state": "open", "overdue": "on"}).content.decode()
    assert "Keluhan dinsos" in body  # filed on MONDAY (2026), long overdue by now
    body = admin.get(reverse("grievances:queue"), {"state": "closed"}).content.decode()
    assert "Keluhan dinsos" not in body
    assert client_for(cast["officer"]).get(reverse("grievances:detail", args=[mine.pk])).status_code == 200
    assert client_for(cast["officer_other"]).get(reverse("grievances:detail", args=[mine.pk])).status_code == 404
    assert client_for(cast["cadre"]).get(reverse("grievances:queue")).status_code == 403


def test_staff_walk_a_grievance_through_the_detail_page(cast, client_for, file):
    g = file()
    admin = client_for(cast["admin"])
    admin.post(reverse("grievances:assign", args=[g.pk]), {"assignee": cast["officer"].pk})
    admin.post(reverse("grievances:respond", args=[g.pk]), {"message": "Sedang dicek."})
    admin.post(reverse("grievances:note", args=[g.pk]), {"note-message": "Catatan internal"})
    admin.post(reverse("grievances:resolve", args=[g.pk]), {"resolution": "Sudah cair."})
    g.refresh_from_db()
    assert (g.state, g.assignee_id, g.agency_id) == (State.RESOLVED, cast["officer"].pk, cast["officer"].agency_id)
    assert list(g.events.values_list("kind", flat=True)) == ["received", "assigned", "responded", "note", "resolved"]
    page = admin.get(reverse("grievances:detail", args=[g.pk])).content.decode()
    assert "Catatan internal" in page and "Sudah cair." in page


def test_an_anonymous_reporter_is_hidden_on_the_staff_page(cast, client_for, file):
    g = file(actor=cast["resident"], category="fraud", anonymous=True)
    page = client_for(cast["admin"]).get(reverse("grievances:detail", args=[g.pk])).content.decode()
    assert "Anonim" in page and "BUDI SANTOSO" not in page


def test_staff_record_a_phone_grievance(cast, client_for):
    response = client_for(cast["surveyor"]).post(reverse("grievances:record"), {
        "channel": "phone", "category": "service_quality", "subject": "Antrean lama", "description": "x",
        "name": "Pak Darto", "phone": "081298765432"})
    g = Grievance.objects.get()
    assert response.status_code == 302 and g.rw_id == cast["surveyor"].rw_id and g.channel == "phone"


def test_the_dashboard_counts_for_the_evaluator(cast, client_for, file):
    g = file()
    s.grievance_resolve(actor=cast["admin"], grievance=g, resolution="x", now=MONDAY.replace(hour=16))
    file()
    page = client_for(cast["evaluator"]).get(reverse("grievances:dashboard"))
    assert page.status_code == 200
    from bansos.grievances.selectors import dashboard

    d = dashboard(user=cast["evaluator"])
    assert (d["total"]["total"], d["total"]["open"], d["total"]["median_first_response_hours"]) == (2, 1, 6.0)
    assert client_for(cast["evaluator"]).get(reverse("grievances:queue")).status_code == 403
    assert client_for(cast["resident"]).get(reverse("grievances:dashboard")).status_code == 403


def test_the_api_files_lists_and_resolves(cast, client_for, file):
    resident = client_for(cast["resident"])
    response = resident.post("/api/grievances", json.dumps({
        "category": "aid_not_received", "subject": "Lewat API", "description": "x"}), content_type="application/json")
    assert response.status_code == 201, response.content
    gid = response.json()["id"]
    assert [g["id"] for g in resident.get("/api/grievances").json()] == [gid]
    admin = client_for(cast["admin"])
    response = admin.post(f"/api/grievances/{gid}/resolve", json.dumps({"resolution": "Beres."}),
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "resolved"
    assert client_for(cast["resident_other"]).post(f"/api/grievances/{gid}/accept").status_code == 404
    response = resident.post(f"/api/grievances/{gid}/appeal", json.dumps({"reason": "Belum."}),
                             content_type="application/json")
    assert response.json()["state"] == "appealed"
    assert admin.get("/api/grievances/dashboard").json()["total"]["open"] == 1
    assert client_for(cast["evaluator"]).get("/api/grievances").status_code == 403
