"""The audit trail page: admin only, read-only, filtered and paginated."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bansos.core.audit import audit_log
from bansos.core.models import AuditEvent
from bansos.core.origin import origin


def test_it_shows_events_with_their_origin(cast, client_for):
    with origin(channel="web", ip="10.1.2.3"):
        audit_log(actor=cast["admin"], action="agency.update", object_type="accounts.agency", object_id="1",
                  object_label="Yayasan", changes={"contact": ["", "021"]})
    response = client_for(cast["admin"]).get("/audit/", {"action": "agency.update"})
    assert response.status_code == 200
    events = list(response.context["page"])
    assert [(e.action, e.origin) for e in events] == [("agency.update", {"channel": "web", "ip": "10.1.2.3"})]
    body = response.content.decode()
    assert "10.1.2.3" in body and "web" in body


def test_it_filters_by_actor_and_object_type(cast, client_for):
    audit_log(actor=cast["surveyor"], action="household.update", object_type="registry.household", object_id="1")
    audit_log(actor=cast["admin"], action="rw.create", object_type="core.rw", object_id="1")
    client = client_for(cast["admin"])
    by_actor = client.get("/audit/", {"actor": "SURVEYOR"}).context["page"]
    assert [e.action for e in by_actor] == ["household.update"]
    by_type = client.get("/audit/", {"object_type": "core.rw"}).context["page"]
    assert [e.action for e in by_type] == ["rw.create"]


def test_it_filters_by_whole_days_in_jakarta(cast, client_for):
    AuditEvent.objects.all().delete()
    early = audit_log(actor=cast["admin"], action="rw.create", object_type="core.rw")
    late = audit_log(actor=cast["admin"], action="rw.update", object_type="core.rw")
    # 1 March 00:30 in Jakarta is still 28 February in UTC; 2 March 00:30 Jakarta belongs to the next day.
    jakarta = timezone.get_current_timezone()
    AuditEvent.objects.filter(pk=early.pk).update(created_at=dt.datetime(2025, 3, 1, 0, 30, tzinfo=jakarta))
    AuditEvent.objects.filter(pk=late.pk).update(created_at=dt.datetime(2025, 3, 2, 0, 30, tzinfo=jakarta))
    page = client_for(cast["admin"]).get("/audit/", {"date_from": "2025-03-01", "date_to": "2025-03-01"})
    assert [e.pk for e in page.context["page"]] == [early.pk]


def test_it_refuses_an_end_date_before_the_start(cast, client_for):
    response = client_for(cast["admin"]).get("/audit/", {"date_from": "2025-03-02", "date_to": "2025-03-01"})
    assert response.context["form"].errors["date_to"] == [
        "Tanggal akhir harus sama dengan atau sesudah tanggal awal."
    ]


def test_it_paginates_by_fifty(cast, client_for):
    AuditEvent.objects.bulk_create(
        [AuditEvent(action="rt.update", object_type="core.rt", actor_name="admin") for _ in range(60)]
    )
    client = client_for(cast["admin"])
    first = client.get("/audit/", {"action": "rt.update"}).context["page"]
    second = client.get("/audit/", {"action": "rt.update", "page": "2"}).context["page"]
    assert (len(first), len(second), first.paginator.num_pages) == (50, 10, 2)


def test_it_keeps_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    AuditEvent.objects.bulk_create(
        [AuditEvent(action="rt.update", object_type="core.rt", actor_name="admin") for _ in range(60)]
    )
    client = client_for(cast["admin"])
    with django_assert_max_num_queries(10):
        response = client.get("/audit/")
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.count == 73  # 13 from registering the cast's households


@pytest.mark.parametrize("name", ["surveyor", "officer", "cadre", "evaluator", "resident"])
def test_it_refuses_the_audit_trail_to_other_roles(cast, client_for, name):
    assert client_for(cast[name]).get("/audit/").status_code == 403


def test_it_is_read_only(cast, client_for):
    events = AuditEvent.objects.count()
    response = client_for(cast["admin"]).post("/audit/", {"action": "x"})
    assert response.status_code in (200, 405)
    assert AuditEvent.objects.count() == events
