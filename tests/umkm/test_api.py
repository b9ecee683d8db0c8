"""The UMKM API: the same rules as the pages, JSON in and out, refusals that change nothing."""

from __future__ import annotations

import json

import pytest

from bansos.umkm.models import Business, CapitalSupport
from tests.umkm.conftest import days_ago, owner_of, today, umkm_state

pytestmark = pytest.mark.django_db


def call(client, method: str, url: str, body=None):
    kwargs = {"content_type": "application/json", "data": json.dumps(body, default=str)} if body is not None else {}
    return getattr(client, method)(f"/api{url}", **kwargs)


def test_the_whole_flow(cast, client_for, umkm_program, enrol):
    program = umkm_program()
    household = cast["households"]["rw1"]
    enrollment = enrol(program, household, "active")
    client = client_for(cast["officer"])
    r = call(client, "post", "/umkm/businesses", {
        "owner": owner_of(household).pk, "program": program.pk, "name": "Warung Bu Siti", "sector": "retail",
        "products": "Sembako", "started_on": "2024-01-02", "nib": "1234567890123"})
    assert r.status_code == 201, r.json()
    business = r.json()
    assert (business["women_owned"], business["youth_owned"], business["status"]) == (True, False, "active")
    bid = business["id"]
    r = call(client, "post", f"/umkm/businesses/{bid}/capital", {
        "kind": "loan", "amount": 1_000_000, "approved_on": days_ago(100), "interest_bp_year": 1000,
        "term_months": 12, "first_due_date": days_ago(70)})
    assert r.status_code == 201, r.json()
    loan = r.json()
    assert loan["total_due"] == 1_100_000
    schedule = call(client, "get", f"/umkm/capital/{loan['id']}/schedule").json()
    assert schedule["interest"] == 100_000
    assert sum(i["amount_due"] for i in schedule["installments"]) == 1_100_000
    r = call(client, "post", f"/umkm/capital/{loan['id']}/repayments", {"paid_on": today(), "amount": 5000})
    assert (r.status_code, r.json()["code"]) == (400, "not_disbursed")
    r = call(client, "post", f"/umkm/capital/{loan['id']}/disburse", {"disbursed_on": days_ago(100)})
    assert r.status_code == 200 and r.json()["disbursed_on"] == days_ago(100).isoformat()
    enrollment.refresh_from_db()
    assert enrollment.disbursed_amount == 1_000_000
    r = call(client, "post", f"/umkm/capital/{loan['id']}/repayments", {"paid_on": today(), "amount": 91_667})
    assert r.status_code == 201
    rep = r.json()
    indicators = call(client, "get", f"/umkm/businesses/{bid}/indicators").json()
    assert (indicators["repayment_status"], indicators["outstanding"]) == ("menunggak", 1_100_000 - 91_667)
    r = call(client, "post", f"/umkm/repayments/{rep['id']}/reverse", {"reason": "Salah input"})
    assert r.json()["reversed"] is True
    assert call(client, "get", f"/umkm/capital/{loan['id']}/repayments").json()[0]["reversed_reason"] == "Salah input"
    month = days_ago(40).replace(day=1)
    r = call(client, "put", f"/umkm/businesses/{bid}/revenue", {"month": days_ago(40), "revenue": 4_000_000,
                                                                 "profit": -100_000})
    assert r.json() == {"month": month.isoformat(), "revenue": 4_000_000, "profit": -100_000, "note": ""}
    assert call(client, "post", f"/umkm/businesses/{bid}/mentoring", {
        "date": today(), "topic": "Stok", "mentor": "Ibu Ratna"}).status_code == 201
    assert call(client, "post", f"/umkm/businesses/{bid}/equipment", {
        "item": "Etalase", "value": 750_000, "given_on": today()}).status_code == 201
    assert len(call(client, "get", f"/umkm/businesses/{bid}/mentoring").json()) == 1
    assert call(client, "get", f"/umkm/businesses/{bid}/revenue").json()[0]["revenue"] == 4_000_000
    r = call(client, "patch", f"/umkm/businesses/{bid}", {"name": "Warung Berkah"})
    assert r.json()["name"] == "Warung Berkah"
    r = call(client, "post", f"/umkm/businesses/{bid}/close", {"closed_on": today(), "reason": "Pindah"})
    assert r.json()["status"] == "closed"
    listed = call(client, "get", "/umkm/businesses?status=closed").json()
    assert listed["total"] == 1 and listed["items"][0]["indicators"]["total_support"] == 1_750_000


def test_bad_input_is_a_field_error(cast, client_for, umkm):
    _p, _e, business = umkm()
    client = client_for(cast["officer"])
    before = umkm_state()
    r = call(client, "patch", f"/umkm/businesses/{business.pk}", {"nib": "12"})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["nib"]
    r = call(client, "post", f"/umkm/businesses/{business.pk}/capital", {
        "kind": "grant", "amount": 99_000_000, "approved_on": today()})
    assert (r.status_code, r.json()["code"]) == (400, "over_commitment")
    assert "Rp 5.000.000" in r.json()["message"]
    r = call(client, "get", "/umkm/businesses?on=kemarin")
    assert r.status_code == 422
    assert umkm_state() == before


@pytest.mark.parametrize("who, status", [("officer_other", 403), ("surveyor", 403), ("cadre", 403),
                                         ("evaluator", 403), ("resident", 403), (None, 401)])
def test_others_are_refused(cast, client_for, loan, who, status):
    business, capital = loan()
    client = client_for(cast[who] if who else None)
    before = umkm_state()
    assert call(client, "get", f"/umkm/businesses/{business.pk}").status_code == status
    assert call(client, "post", f"/umkm/capital/{capital.pk}/repayments",
                {"paid_on": today(), "amount": 1000}).status_code == status
    assert call(client, "patch", f"/umkm/businesses/{business.pk}", {"name": "X"}).status_code == status
    assert call(client, "put", f"/umkm/businesses/{business.pk}/revenue",
                {"month": today(), "revenue": 1, "profit": 1}).status_code == status
    assert umkm_state() == before
    if who == "officer_other":
        assert call(client, "get", "/umkm/businesses").json()["total"] == 0


def test_the_admin_sees_every_agency(cast, client_for, umkm):
    umkm(agency_key="lsm")
    assert call(client_for(cast["admin"]), "get", "/umkm/businesses").json()["total"] == 1
    assert Business.objects.count() == 1 and CapitalSupport.objects.count() == 0
