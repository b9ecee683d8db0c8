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


def _counts():
    return (Household.objects.count(), Resident.objects.count(), AuditEvent.objects.count())


def test_it_refuses_a_household_without_exactly_one_head(cast, areas):
    members = [person("Ani", "P", dt.date(1990, 1, 1), "spouse")]
    before = _counts()
    with pytest.raises(ValidationFailed) as info:
        services.household_create(actor=cast["admin"], data=household_data(areas["rt1"]), members=members)
    assert info.value.errors["members"] == [str(services.MSG_ONE_HEAD)]
    assert _counts() == before


def test_it_refuses_a_kk_that_an_active_household_has(cast, areas):
    taken = cast["households"]["rw1"].kk_number
    before = _counts()
    with pytest.raises(ValidationFailed) as info:
        services.household_create(actor=cast["admin"], data=household_data(areas["rt1"], kk_number=taken),
                                  members=[person("Ani", "P", dt.date(1990, 1, 1), "head")])
    assert info.value.errors["kk_number"] == [str(services.MSG_KK_TAKEN)]
    assert _counts() == before


def test_it_refuses_a_nik_that_an_active_resident_has(cast):
    household = cast["households"]["rw1"]
    taken = cast["households"]["rw2"].residents.get(relation="head")
    data = {k: getattr(taken, k) for k in ("nik", "full_name", "sex", "birth_date")} | {"relation": "other"}
    before = _counts()
    with pytest.raises(ValidationFailed) as info:
        services.resident_add(actor=cast["admin"], household=household, data=data)
    assert info.value.errors["nik"] == [str(services.MSG_NIK_TAKEN)]
    assert _counts() == before


def test_it_requires_a_reason_for_a_correction_and_changes_nothing_without_one(cast):
    resident = cast["households"]["rw1"].residents.get(relation="head")
    before = _counts()
    with pytest.raises(ValidationFailed) as info:
        services.resident_update(actor=cast["admin"], resident=resident, data={"full_name": "Budi S"}, reason=" ")
    assert info.value.errors == {"reason": [str(services.MSG_REASON_REQUIRED)]}
    assert Resident.objects.get(pk=resident.pk).full_name == "BUDI SANTOSO"
    assert _counts() == before


def test_it_keeps_the_search_key_in_step_with_the_name(cast):
    resident = cast["households"]["rw1"].residents.get(relation="spouse")
    updated = services.resident_update(actor=cast["admin"], resident=resident,
                                       data={"full_name": "siti  nur'aini"}, reason="ejaan sesuai KTP")
    assert updated.full_name == "SITI NUR'AINI"
    assert Resident.objects.get(pk=resident.pk).name_key == "SITI NURAINI"


def test_it_refuses_to_mark_a_man_pregnant(cast):
    resident = cast["households"]["rw1"].residents.get(relation="head")
    with pytest.raises(ValidationFailed) as info:
        services.resident_update(actor=cast["admin"], resident=resident, data={"pregnant": True}, reason="x")
    assert "pregnant" in info.value.errors
    assert Resident.objects.get(pk=resident.pk).pregnant is False


def test_it_moves_a_child_and_records_it_in_both_households(cast):
    child = cast["households"]["rw1"].residents.get(full_name="ANDI PRATAMA")
    target = cast["households"]["rw1_rt2"]
    services.resident_move(actor=cast["surveyor"], resident=child, to_household=target, relation="grandchild",
                           reason="ikut nenek")
    child.refresh_from_db()
    assert (child.household_id, child.relation) == (target.pk, "grandchild")
    assert AuditEvent.objects.filter(action="resident.move_out", household_id=cast["households"]["rw1"].pk).count() == 1
    assert AuditEvent.objects.filter(action="resident.move_in", household_id=target.pk).count() == 1


def test_it_refuses_to_move_a_surveyor_resident_into_another_rw(cast):
    child = cast["households"]["rw1"].residents.get(full_name="ANDI PRATAMA")
    before = _counts()
    with pytest.raises(PermissionDeniedError):
        services.resident_move(actor=cast["surveyor"], resident=child, to_household=cast["households"]["rw2"],
                               relation="child", reason="pindah")
    assert Resident.objects.get(pk=child.pk).household_id == cast["households"]["rw1"].pk
    assert _counts() == before


def test_it_refuses_to_move_a_head_who_still_has_members(cast):
    head = cast["households"]["rw1"].residents.get(relation="head")
    with pytest.raises(services.DomainError) as info:
        services.resident_move(actor=cast["admin"], resident=head, to_household=cast["households"]["rw2"],
                               relation="other", reason="pindah")
    assert info.value.code == "head_has_members"


def test_it_changes_the_head_of_a_household(cast):
    household = cast["households"]["rw1"]
    spouse = household.residents.get(relation="spouse")
    services.household_change_head(actor=cast["admin"], household=household, new_head=spouse,
                                   old_head_relation="spouse", reason="suami meninggal dunia")
    relations = dict(household.residents.values_list("full_name", "relation"))
    assert relations["SITI AMINAH"] == "head"
    assert relations["BUDI SANTOSO"] == "spouse"


def test_it_moves_the_members_with_their_household_and_frees_their_niks(cast):
    household = cast["households"]["rw2"]
    services.household_set_status(actor=cast["admin"], household=household, status="moved", reason="pindah ke Bekasi")
    assert set(household.residents.values_list("status", flat=True)) == {"moved_out"}
    assert Household.objects.get(pk=household.pk).status == "moved"


def test_it_refuses_to_dissolve_a_household_that_still_has_members(cast):
    household = cast["households"]["rw2"]
    with pytest.raises(services.DomainError) as info:
        services.household_set_status(actor=cast["admin"], household=household, status="dissolved", reason="x")
    assert info.value.code == "household_has_members"
    assert Household.objects.get(pk=household.pk).status == "active"


def test_it_refuses_an_impossible_status_change(cast):
    household = cast["households"]["rw2"]
    services.household_set_status(actor=cast["admin"], household=household, status="moved", reason="pindah")
    services.household_set_status(actor=cast["admin"], household=household, status="active", reason="kembali")
    services.household_set_status(actor=cast["admin"], household=household, status="moved", reason="pindah lagi")
    with pytest.raises(services.DomainError) as info:
        services.household_set_status(actor=cast["admin"], household=household, status="moved", reason="x")
    assert info.value.code == "status_transition"


def test_it_records_a_data_subject_request_with_a_three_day_deadline(cast):
    household = cast["households"]["rw1"]
    request = services.dsr_create(actor=cast["admin"], household=household, kind="correction",
                                  requester_name="Budi Santoso", description="Tanggal lahir anak salah")
    assert request.due_at - request.received_at < dt.timedelta(hours=72, seconds=5)
    assert request.due_at - request.received_at > dt.timedelta(hours=71, minutes=59)
    done = services.dsr_set_status(actor=cast["admin"], request=request, status="done",
                                   resolution="Tanggal lahir diperbaiki")
    assert done.status == "done"
    assert done.closed_at is not None


def test_it_refuses_data_subject_requests_to_a_surveyor(cast):
    before = _counts()
    with pytest.raises(PermissionDeniedError):
        services.dsr_create(actor=cast["surveyor"], household=cast["households"]["rw1"], kind="access",
                            requester_name="Budi", description="salinan data")
    assert _counts() == before
