"""API: announcements (list, create, publish, reach) and the resident's inbox (list, read)."""

from __future__ import annotations

import json

import pytest

from bansos.notifications.models import Announcement, Message

pytestmark = pytest.mark.django_db


def post(client, path, data=None):
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def test_staff_create_publish_and_read_reach(cast, areas, client_for):
    client = client_for(cast["surveyor"])
    response = post(client, "/api/notifications/announcements", {
        "title": "Fogging DBD", "body": "Rabu sore; tutup makanan.", "target_kind": "rw", "rw": 1})
    assert response.status_code == 201, response.content
    ann = response.json()
    assert (ann["status"], ann["rw"], ann["public"]) == ("draft", 1, True)
    response = post(client, f"/api/notifications/announcements/{ann['id']}/publish")
    assert response.status_code == 200 and response.json()["recipients"] == 2
    reach = client.get(f"/api/notifications/announcements/{ann['id']}/reach").json()
    assert (reach["households"], reach["received"], reach["opened"]) == (2, 2, 0)
    assert [r["rw"] for r in reach["rows"]] == [1]  # only the RWs the announcement reached
    assert [a["id"] for a in client.get("/api/notifications/announcements").json()] == [ann["id"]]


def test_the_api_refuses_another_scope_and_bad_input(cast, areas, client_for):
    client = client_for(cast["surveyor"])
    response = post(client, "/api/notifications/announcements", {
        "title": "X", "body": "Y", "target_kind": "rw", "rw": 2})
    assert response.status_code == 403 and not Announcement.objects.exists()
    response = post(client, "/api/notifications/announcements", {"title": "X", "body": "Y", "target_kind": "rw",
                                                                 "rw": 9})
    assert response.status_code == 422 and response.json()["errors"] == {"rw": ["Pilihan tidak valid."]}
    response = post(client, "/api/notifications/announcements", {"title": "X", "body": "Y", "target_kind": "planet"})
    assert response.status_code == 422
    other = client_for(cast["admin"])
    made = post(other, "/api/notifications/announcements", {"title": "X", "body": "Y", "target_kind": "rw",
                                                            "rw": 2}).json()
    assert post(client, f"/api/notifications/announcements/{made['id']}/publish").status_code == 404
    assert Announcement.objects.get(pk=made["id"]).status == "draft"
    assert client_for(cast["evaluator"]).get("/api/notifications/announcements").status_code == 403


def test_the_resident_lists_and_reads_its_inbox_only(cast, areas, client_for):
    admin = client_for(cast["admin"])
    for rw in (1, 2):
        made = post(admin, "/api/notifications/announcements", {"title": f"RW {rw}", "body": "Isi",
                                                                "target_kind": "rw", "rw": rw}).json()
        post(admin, f"/api/notifications/announcements/{made['id']}/publish")
    client = client_for(cast["resident"])
    inbox = client.get("/api/notifications/inbox").json()
    assert [m["subject"] for m in inbox] == ["RW 1"]
    response = post(client, f"/api/notifications/inbox/{inbox[0]['id']}/read")
    assert response.status_code == 200 and response.json()["status"] == "read"
    assert client.get("/api/notifications/inbox", {"unread": True}).json() == []
    theirs = Message.objects.get(household=cast["households"]["rw2"])
    assert post(client, f"/api/notifications/inbox/{theirs.pk}/read").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client_for(cast["admin"]).get("/api/notifications/inbox").status_code == 403
