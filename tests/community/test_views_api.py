"""Pages and API operations of usul/sanggah and proposals: thin wrappers, the same rules both ways."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from bansos.community.models import Nomination, Objection, Proposal

pytestmark = pytest.mark.django_db


def test_a_resident_nominates_through_the_page_and_sees_it(people, cash, client_for):
    client = client_for(people["resident"])
    kk = people["households"]["rw1_rt2"].kk_number
    response = client.post(reverse("community:nominate"), {
        "program": cash.pk, "relation": "neighbour", "kk_number": kk, "reason": "Ibu ini janda dengan dua anak."})
    assert response.status_code == 302
    assert client.get(reverse("community:my_cases")).content.decode().count(cash.name) == 1


def test_a_bad_nomination_names_the_field_and_saves_nothing(people, cash, client_for):
    response = client_for(people["resident"]).post(reverse("community:nominate"), {
        "program": cash.pk, "relation": "neighbour", "kk_number": "123", "reason": "Alasan uji yang cukup."})
    assert response.status_code == 400
    assert "Nomor KK terdiri dari 16 angka." in response.content.decode()
    assert Nomination.objects.count() == 0


def test_staff_check_and_decide_through_the_pages(people, cash, client_for):
    from bansos.community.services import cases

    n = cases.nomination_create(actor=people["resident"], program=cash, relation="own", reason="Kami kesulitan biaya.")
    client = client_for(people["surveyor"])
    assert client.get(reverse("community:queue")).status_code == 200
    today = timezone.localdate().isoformat()
    assert client.post(reverse("community:nomination_check", args=[n.pk]), {
        "field_date": today, "field_note": "Dikunjungi, kondisi sesuai."}).status_code == 302
    assert client.post(reverse("community:nomination_decide", args=[n.pk]), {
        "decision": "accept", "reason": "Layak diusulkan ke lembaga."}).status_code == 302
    n.refresh_from_db()
    assert (n.status, n.enrollment.channel) == ("accepted", "nomination")
    other = client_for(people["surveyor_other"])
    assert other.get(reverse("community:nomination_detail", args=[n.pk])).status_code == 403


def test_the_api_files_and_decides_an_objection(people, listed, client_for):
    resident = client_for(people["resident"])
    response = resident.post("/api/community/objections", {"enrollment": listed[0].pk, "reason": "Punya mobil mewah."},
                             content_type="application/json")
    assert response.status_code == 201, response.content
    oid = response.json()["id"]
    again = resident.post("/api/community/objections", {"enrollment": listed[0].pk, "reason": "Punya mobil mewah."},
                          content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (400, "objection_duplicate")
    officer = client_for(people["officer"])
    today = timezone.localdate().isoformat()
    assert officer.post(f"/api/community/objections/{oid}/check", {"field_date": today, "field_note": "Benar ada mobil."},
                        content_type="application/json").status_code == 200
    decided = officer.post(f"/api/community/objections/{oid}/decide", {"accept": True, "reason": "Di atas batas."},
                           content_type="application/json").json()
    assert (decided["status"], decided["outcome"]) == ("accepted", "suspended")
    mine = resident.get("/api/community/objections/mine").json()
    assert [o["outcome"] for o in mine] == ["suspended"]
    refused = client_for(people["officer_other"]).get(f"/api/community/objections/{oid}")
    assert refused.status_code == 403
    assert Objection.objects.count() == 1


def test_the_public_proposal_api_and_a_vote(people, resident_in, areas, client_for):
    young = resident_in(age=20)
    created = client_for(young).post("/api/community/proposals", {
        "title": "Bank Sampah Pemuda", "description": "Pemuda mengelola bank sampah di setiap RT selama setahun.",
        "budget_estimate": 8_000_000, "target_group": "youth", "rw": 1}, content_type="application/json")
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert client_for(people["resident"]).post(f"/api/community/proposals/{pid}/support").json() == {
        "proposal_id": pid, "support_count": 1}
    public = client_for(None).get("/api/community/proposals").json()
    assert [(p["id"], p["support_count"]) for p in public] == [(pid, 1)]
    assert "proposer" not in public[0]
    assert Proposal.objects.get().support_count == 1
