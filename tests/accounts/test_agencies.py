"""Partner agencies: list, create, edit; admin only and audited."""

from __future__ import annotations

import pytest

from bansos.accounts import services
from bansos.accounts.models import Agency
from bansos.core.models import AuditEvent


def test_it_lists_agencies_with_their_active_officers(cast, client_for):
    response = client_for(cast["admin"]).get("/akun/lembaga/")
    assert response.status_code == 200
    rows = [(a.name, a.staff_count) for a in response.context["agencies"]]
    assert rows == [("Suku Dinas Sosial Jakarta Barat", 1), ("Yayasan Peduli Duri Kepa", 1)]


def test_it_creates_an_agency_with_an_audit_event(cast, client_for):
    events = AuditEvent.objects.count()
    response = client_for(cast["admin"]).post(
        "/akun/lembaga/baru/",
        {"name": "  Koperasi  Warga Duri  ", "kind": "community", "contact": "Bu Ani 0812", "is_active": "on"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Koperasi Warga Duri")
    assert (agency.kind, agency.contact, agency.is_active) == ("community", "Bu Ani 0812", True)
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id) == ("agency.create", str(agency.pk))


def test_it_refuses_a_duplicate_name_whatever_the_case(cast, client_for):
    agencies, events = Agency.objects.count(), AuditEvent.objects.count()
    response = client_for(cast["admin"]).post(
        "/akun/lembaga/baru/", {"name": "yayasan peduli duri kepa", "kind": "ngo"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [str(services.MSG_AGENCY_NAME_TAKEN)]
    assert (Agency.objects.count(), AuditEvent.objects.count()) == (agencies, events)


def test_it_edits_an_agency(cast, agencies, client_for):
    agency = agencies["lsm"]
    response = client_for(cast["admin"]).post(
        f"/akun/lembaga/{agency.pk}/",
        {"name": "Yayasan Peduli Duri Kepa", "kind": "ngo", "contact": "021-555", "is_active": "on"},
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.contact == "021-555"
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.changes) == ("agency.update", {"contact": ["", "021-555"]})


def test_it_refuses_to_deactivate_an_agency_with_active_officers(cast, agencies, client_for):
    agency = agencies["dinsos"]
    events = AuditEvent.objects.count()
    response = client_for(cast["admin"]).post(
        f"/akun/lembaga/{agency.pk}/", {"name": agency.name, "kind": agency.kind, "contact": ""}
    )
    assert response.context["form"].errors["is_active"] == [str(services.MSG_AGENCY_HAS_STAFF)]
    agency.refresh_from_db()
    assert agency.is_active is True
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("name", ["surveyor", "officer", "cadre", "evaluator", "resident"])
def test_it_refuses_agency_pages_to_other_roles_and_changes_nothing(cast, agencies, client_for, name):
    client = client_for(cast[name])
    agency = agencies["lsm"]
    events = AuditEvent.objects.count()
    assert client.get("/akun/lembaga/").status_code == 403
    assert client.post("/akun/lembaga/baru/", {"name": "Baru", "kind": "ngo"}).status_code == 403
    assert client.post(f"/akun/lembaga/{agency.pk}/", {"name": "Ganti", "kind": "ngo"}).status_code == 403
    assert Agency.objects.count() == 2
    agency.refresh_from_db()
    assert agency.name == "Yayasan Peduli Duri Kepa"
    assert AuditEvent.objects.count() == events
