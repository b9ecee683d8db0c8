"""Data-subject request pages (UU PDP): list, record, work, and the printable access copy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bansos.core.models import AuditEvent
from bansos.registry.models import DataSubjectRequest
from bansos.registry.services import dsr_create, dsr_set_status

pytestmark = pytest.mark.django_db

LIST = reverse("registry:dsr_list")


def _create_url(household):
    return reverse("registry:dsr_create", args=[household.pk])


def _detail_url(dsr):
    return reverse("registry:dsr_detail", args=[dsr.pk])


def _make(cast, key="rw1", kind="access", **extra):
    return dsr_create(actor=cast["admin"], household=cast["households"][key], kind=kind,
                      requester_name="Budi Santoso", description="Minta salinan data keluarga", **extra)


def test_it_records_a_request_from_the_household_page(cast, client_for):
    household = cast["households"]["rw1"]
    spouse = household.residents.get(relation="spouse")
    assert reverse("registry:dsr_create", args=[household.pk]) in client_for(cast["admin"]).get(
        reverse("registry:household_detail", args=[household.pk])).content.decode()
    response = client_for(cast["admin"]).post(_create_url(household), {
        "kind": "correction", "requester_name": "Siti Aminah", "resident": str(spouse.pk),
        "description": "Tanggal lahir salah",
    })
    dsr = DataSubjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail_url(dsr)
    assert (dsr.kind, dsr.requester_name, dsr.resident_id, dsr.status) == (
        "correction", "Siti Aminah", spouse.pk, "received")
    assert AuditEvent.objects.filter(action="dsr.create", household_id=household.pk).count() == 1


def test_it_shows_required_field_errors_and_records_nothing(cast, client_for):
    household = cast["households"]["rw1"]
    events = AuditEvent.objects.count()
    response = client_for(cast["admin"]).post(_create_url(household), {"kind": "access", "requester_name": " ",
                                                                        "description": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (errors["requester_name"], errors["description"]) == (["Wajib diisi."], ["Wajib diisi."])
    assert DataSubjectRequest.objects.count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who, status", [("surveyor", 403), ("resident", 403), ("cadre", 403),
                                         ("surveyor_other", 404), ("evaluator", 404)])
def test_it_refuses_recording_to_non_admins_and_records_nothing(cast, client_for, who, status):
    household = cast["households"]["rw1"]
    events = AuditEvent.objects.count()
    response = client_for(cast[who]).post(_create_url(household), {
        "kind": "access", "requester_name": "X", "description": "Y"})
    assert response.status_code == status
    assert DataSubjectRequest.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_it_lists_requests_with_overdue_ones_marked(cast, client_for):
    late = _make(cast)
    DataSubjectRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    fresh = _make(cast, key="rw2", kind="deletion")
    response = client_for(cast["admin"]).get(LIST)
    assert response.status_code == 200
    assert [(row["req"].pk, row["overdue"]) for row in response.context["rows"]] == [(late.pk, True), (fresh.pk, False)]
    assert "lewat batas waktu" in response.content.decode()
    overdue_only = client_for(cast["admin"]).get(LIST, {"overdue": "on"})
    assert [row["req"].pk for row in overdue_only.context["rows"]] == [late.pk]


def test_it_filters_the_list_by_status(cast, client_for):
    first = _make(cast)
    second = _make(cast, key="rw2")
    dsr_set_status(actor=cast["admin"], request=second, status="in_progress")
    response = client_for(cast["admin"]).get(LIST, {"status": "in_progress"})
    assert [row["req"].pk for row in response.context["rows"]] == [second.pk]
    assert first.pk not in [row["req"].pk for row in response.context["rows"]]


def test_it_does_not_count_a_closed_request_as_overdue(cast, client_for):
    dsr = _make(cast)
    dsr_set_status(actor=cast["admin"], request=dsr, status="done", resolution="Salinan diserahkan")
    DataSubjectRequest.objects.filter(pk=dsr.pk).update(due_at=timezone.now() - dt.timedelta(days=3))
    response = client_for(cast["admin"]).get(LIST)
    assert [row["overdue"] for row in response.context["rows"]] == [False]


@pytest.mark.parametrize("who", ["surveyor", "officer", "cadre", "evaluator", "resident"])
def test_it_refuses_the_list_to_non_admins(cast, client_for, who):
    _make(cast)
    assert client_for(cast[who]).get(LIST).status_code == 403


def test_it_moves_a_request_on_and_closes_it_with_a_resolution(cast, client_for):
    dsr = _make(cast, kind="correction")
    client = client_for(cast["admin"])
    assert client.post(_detail_url(dsr), {"action": "status", "status": "in_progress"}).status_code == 302
    response = client.post(_detail_url(dsr), {"action": "status", "status": "done",
                                              "resolution": "Tanggal lahir diperbaiki"})
    assert response.status_code == 302
    dsr.refresh_from_db()
    assert (dsr.status, dsr.resolution, dsr.handled_by_id) == ("done", "Tanggal lahir diperbaiki", cast["admin"].pk)
    assert dsr.closed_at is not None
    assert client.get(_detail_url(dsr)).context["open"] is False


def test_it_refuses_closing_without_resolution(cast, client_for):
    dsr = _make(cast)
    events = AuditEvent.objects.count()
    response = client_for(cast["admin"]).post(_detail_url(dsr), {"action": "status", "status": "refused",
                                                                 "resolution": ""})
    assert response.context["form"].errors["resolution"] == ["Tuliskan penyelesaian atau alasan penolakan."]
    dsr.refresh_from_db()
    assert dsr.status == "received"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who, status", [("surveyor", 404), ("resident", 404), ("officer", 404)])
def test_it_hides_the_detail_from_non_admins_and_changes_nothing(cast, client_for, who, status):
    dsr = _make(cast)
    events = AuditEvent.objects.count()
    client = client_for(cast[who])
    assert client.get(_detail_url(dsr)).status_code == status
    assert client.post(_detail_url(dsr), {"action": "status", "status": "in_progress"}).status_code == status
    assert client.post(_detail_url(dsr), {"action": "access_copy"}).status_code == status
    dsr.refresh_from_db()
    assert dsr.status == "received"
    assert AuditEvent.objects.count() == events


def test_it_gives_a_printable_access_copy_and_audits_it_as_an_export(cast, client_for):
    dsr = _make(cast)
    household = cast["households"]["rw1"]
    head = household.residents.get(relation="head")
    response = client_for(cast["admin"]).post(_detail_url(dsr), {"action": "access_copy"})
    assert response.status_code == 200
    text = response.content.decode()
    assert household.kk_number in text and head.nik in text and "BUDI SANTOSO" in text
    event = AuditEvent.objects.get(action="registry.export_access")
    assert (event.actor_id, event.household_id, event.changes) == (cast["admin"].pk, household.pk,
                                                                    {"request": [None, dsr.pk]})
    history = client_for(cast["admin"]).get(reverse("registry:household_detail", args=[household.pk]))
    assert history.context["history"][0]["action"] == "Salinan data pribadi diberikan (permintaan akses)"


def test_it_offers_no_access_copy_for_other_kinds(cast, client_for):
    dsr = _make(cast, kind="deletion")
    client = client_for(cast["admin"])
    assert 'value="access_copy"' not in client.get(_detail_url(dsr)).content.decode()
    events = AuditEvent.objects.count()
    response = client.post(_detail_url(dsr), {"action": "access_copy"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Salinan data hanya dibuat untuk permintaan akses."]
    assert AuditEvent.objects.count() == events
