import datetime as dt

import pytest

from bansos.core.errors import PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent
from bansos.registry import services
from bansos.registry.models import Household, Resident
from tests.factories import household_data, person


def test_it_records_who_changed_a_resident_and_why(cast):
    admin = cast["admin"]
    resident = cast["households"]["rw1"].residents.get(relation="spouse")
    services.resident_update(actor=admin, resident=resident, data={"occupation": "Penjahit"},
                             reason="koreksi dari musyawarah RT")
    event = AuditEvent.objects.filter(action="resident.update").latest("id")
    assert event.actor == admin
    assert event.changes == {"occupation": ["", "Penjahit"]}
    assert event.reason == "koreksi dari musyawarah RT"
    assert event.household_id == resident.household_id


def test_it_refuses_a_surveyor_outside_their_rw_and_changes_nothing(cast):
    resident = cast["households"]["rw2"].residents.get(relation="head")
    before = Resident.objects.get(pk=resident.pk).occupation
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError):
        services.resident_update(actor=cast["surveyor"], resident=resident, data={"occupation": "X"}, reason="r")
    assert Resident.objects.get(pk=resident.pk).occupation == before
    assert AuditEvent.objects.count() == events


def test_it_refuses_a_nik_that_disagrees_with_sex(cast, areas):
    data = household_data(areas["rt1"])
    head = person("Ahmad Fauzi", "L", dt.date(1990, 1, 5), "head")
    head["nik"] = head["nik"][:6] + "45" + head["nik"][8:]  # women's day code
    with pytest.raises(ValidationFailed) as info:
        services.household_create(actor=cast["admin"], data=data, members=[head])
    assert "members.0.nik" in info.value.errors
    assert Household.objects.filter(kk_number=data["kk_number"]).count() == 0
