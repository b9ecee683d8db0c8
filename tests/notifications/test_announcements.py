"""Announcements: targeting per kind, who may address whom (both ways), publishing, reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from bansos.notifications import selectors
from bansos.notifications.models import Announcement, Channel, Message, MessageStatus
from bansos.notifications.services import (
    MSG_NO_RECIPIENTS, MSG_PUBLISHED, announcement_create, announcement_publish, announcement_update, message_read,
)
from tests.notifications.conftest import announcement_data, world

pytestmark = pytest.mark.django_db


def publish(actor, **data):
    return announcement_publish(actor=actor, announcement=announcement_create(actor=actor,
                                                                              data=announcement_data(**data)))


def recipients(announcement) -> set[int]:
    return set(Message.objects.filter(reference=announcement.reference, channel=Channel.INBOX)
               .values_list("household_id", flat=True))


def test_it_reaches_every_active_household_of_the_kelurahan(cast):
    hh = cast["households"]
    ann = publish(cast["admin"])
    assert recipients(ann) == {hh["rw1"].pk, hh["rw1_rt2"].pk, hh["rw2"].pk}
    assert ann.status == "published" and ann.recipients == 3 and ann.sms_queued == 0
    msg = Message.objects.get(reference=ann.reference, household=hh["rw2"])
    assert (msg.status, msg.subject, msg.topic, msg.created_by) == (
        MessageStatus.SENT, "Pembagian sembako", "announcement", cast["admin"])


def test_it_reaches_one_rw(cast, areas):
    hh = cast["households"]
    ann = publish(cast["admin"], target_kind="rw", rw=areas["rw1"].pk)
    assert recipients(ann) == {hh["rw1"].pk, hh["rw1_rt2"].pk}


def test_it_reaches_a_programs_participants_only(cast, make_program, enrol):
    hh = cast["households"]
    program = make_program("dinsos", budget=10_000_000)
    enrol(program, hh["rw1"], "active")
    enrol(program, hh["rw2"], "applied")  # not a participant yet
    ann = publish(cast["admin"], target_kind="program", program=program.pk)
    assert recipients(ann) == {hh["rw1"].pk}


@pytest.mark.parametrize(("group", "expected"), [
    ("female_head", {"rw1_rt2"}),
    ("under_five", {"rw1", "rw2"}),  # Dewi, born 2023, in both default families
    ("school_age", {"rw1", "rw1_rt2", "rw2"}),
])
def test_it_reaches_a_target_group(cast, group, expected):
    hh = cast["households"]
    ann = publish(cast["admin"], target_kind="group", group=group)
    assert recipients(ann) == {hh[k].pk for k in expected}


def test_it_reaches_youth_by_the_registry_ages(cast, areas):
    from bansos.registry.models import Resident

    hh = cast["households"]
    # Andi (RW 1) is 20; RW 2's children are 11; the other family has a child of 14.
    Resident.objects.filter(household=hh["rw1"], birth_date=dt.date(2010, 11, 20)).update(
        birth_date=timezone.localdate() - dt.timedelta(days=365 * 20 + 10))
    Resident.objects.filter(household=hh["rw2"], relation="child").update(birth_date=dt.date(2015, 1, 1))
    ann = publish(cast["admin"], target_kind="group", group="youth")
    assert recipients(ann) == {hh["rw1"].pk}


def test_a_group_can_be_limited_to_one_rw(cast, areas):
    hh = cast["households"]
    ann = publish(cast["admin"], target_kind="group", group="school_age", rw=areas["rw2"].pk)
    assert recipients(ann) == {hh["rw2"].pk}


# --- Scope, both ways ---------------------------------------------------------------------------------


def test_an_officer_addresses_its_own_agencys_participants(cast, make_program, enrol):
    program = make_program("dinsos", budget=10_000_000)
    enrol(program, cast["households"]["rw1"], "active")
    ann = publish(cast["officer"], target_kind="program", program=program.pk)
    assert ann.recipients == 1


@pytest.mark.parametrize("data", [
    {"target_kind": "kelurahan"},
    {"target_kind": "rw", "rw": "rw1"},
    {"target_kind": "group", "group": "female_head"},
])
def test_an_officer_cannot_address_the_kelurahan_an_rw_or_a_group(cast, areas, data):
    if data.get("rw"):
        data["rw"] = areas[data["rw"]].pk
    before = world()
    with pytest.raises(PermissionDeniedError):
        announcement_create(actor=cast["officer"], data=announcement_data(**data))
    assert world() == before


def test_an_officer_cannot_address_another_agencys_participants(cast, make_program, enrol):
    program = make_program("lsm", budget=10_000_000)
    before = world()
    with pytest.raises(PermissionDeniedError):
        announcement_create(actor=cast["officer"], data=announcement_data(target_kind="program", program=program.pk))
    assert world() == before


def test_an_officer_cannot_publish_another_agencys_announcement(cast, make_program, enrol):
    program = make_program("lsm", budget=10_000_000)
    enrol(program, cast["households"]["rw2"], "active")
    ann = announcement_create(actor=cast["admin"], data=announcement_data(target_kind="program", program=program.pk))
    before = world()
    with pytest.raises(PermissionDeniedError):
        announcement_publish(actor=cast["officer"], announcement=ann)
    assert world() == before
    assert announcement_publish(actor=cast["officer_other"], announcement=ann).status == "published"


def test_a_surveyor_addresses_its_own_rw_and_groups_in_it(cast, areas):
    hh = cast["households"]
    ann = publish(cast["surveyor"], target_kind="rw", rw=areas["rw1"].pk)
    assert recipients(ann) == {hh["rw1"].pk, hh["rw1_rt2"].pk}
    ann = publish(cast["surveyor"], target_kind="group", group="female_head", rw=areas["rw1"].pk)
    assert recipients(ann) == {hh["rw1_rt2"].pk}


def test_a_surveyor_addresses_a_programs_participants_in_its_rw_only(cast, areas, make_program, enrol):
    hh = cast["households"]
    program = make_program("dinsos", budget=10_000_000)
    enrol(program, hh["rw1"], "active")
    enrol(program, hh["rw2"], "active")
    ann = publish(cast["surveyor"], target_kind="program", program=program.pk, rw=areas["rw1"].pk)
    assert recipients(ann) == {hh["rw1"].pk}


@pytest.mark.parametrize("data", [
    {"target_kind": "rw", "rw": "rw2"},
    {"target_kind": "kelurahan"},
    {"target_kind": "group", "group": "female_head"},  # kelurahan-wide group
    {"target_kind": "group", "group": "female_head", "rw": "rw2"},
    {"target_kind": "program", "program": "dinsos"},  # every participant, beyond its RW
    {"target_kind": "program", "program": "dinsos", "rw": "rw2"},
])
def test_a_surveyor_cannot_address_beyond_its_rw(cast, areas, make_program, data):
    if data.get("rw"):
        data["rw"] = areas[data["rw"]].pk
    if data.get("program"):
        data["program"] = make_program(data["program"], budget=10_000_000).pk
    before = world()
    with pytest.raises(PermissionDeniedError):
        announcement_create(actor=cast["surveyor"], data=announcement_data(**data))
    assert world() == before


def test_a_surveyor_cannot_publish_another_rws_announcement(cast, areas):
    ann = announcement_create(actor=cast["admin"], data=announcement_data(target_kind="rw", rw=areas["rw2"].pk))
    before = world()
    with pytest.raises(PermissionDeniedError):
        announcement_publish(actor=cast["surveyor"], announcement=ann)
    assert world() == before


@pytest.mark.parametrize("who", ["cadre", "evaluator", "resident"])
def test_roles_without_the_permission_cannot_write_announcements(cast, who):
    before = world()
    with pytest.raises(PermissionDeniedError):
        announcement_create(actor=cast[who], data=announcement_data())
    assert world() == before


def test_only_the_admin_chooses_sms(cast, areas):
    before = world()
    with pytest.raises(ValidationFailed) as caught:
        announcement_create(actor=cast["surveyor"], data=announcement_data(target_kind="rw", rw=areas["rw1"].pk,
                                                                          send_sms=True))
    assert caught.value.errors == {"send_sms": ["Hanya admin kelurahan yang dapat memilih pengiriman SMS."]}
    assert world() == before


# --- Input and state rules ----------------------------------------------------------------------------


def test_bad_input_names_each_field_and_changes_nothing(cast):
    before = world()
    with pytest.raises(ValidationFailed) as caught:
        announcement_create(actor=cast["admin"], data={"title": " ", "body": "", "target_kind": "rw",
                                                       "publish_at": "kemarin"})
    assert caught.value.errors == {"title": ["Wajib diisi."], "body": ["Wajib diisi."],
                                   "publish_at": ["Waktu terbit tidak valid."], "rw": ["Pilih RW yang dituju."]}
    with pytest.raises(ValidationFailed) as caught:
        announcement_create(actor=cast["admin"], data=announcement_data(target_kind="group", group="alien"))
    assert caught.value.errors == {"group": ["Pilihan tidak valid."]}
    assert world() == before


def test_a_published_announcement_cannot_change_or_publish_again(cast):
    ann = publish(cast["admin"])
    before = world()
    with pytest.raises(DomainError) as caught:
        announcement_publish(actor=cast["admin"], announcement=ann)
    assert caught.value.message == MSG_PUBLISHED
    with pytest.raises(DomainError):
        announcement_update(actor=cast["admin"], announcement=ann, data=announcement_data(title="Baru"))
    assert world() == before


def test_an_empty_audience_is_refused(cast, make_program):
    program = make_program("dinsos", budget=10_000_000)
    ann = announcement_create(actor=cast["admin"], data=announcement_data(target_kind="program", program=program.pk))
    with pytest.raises(DomainError) as caught:
        announcement_publish(actor=cast["admin"], announcement=ann)
    assert caught.value.message == MSG_NO_RECIPIENTS
    assert Announcement.objects.get(pk=ann.pk).status == "draft" and not Message.objects.exists()


def test_a_draft_can_be_edited(cast, areas):
    ann = announcement_create(actor=cast["admin"], data=announcement_data())
    ann = announcement_update(actor=cast["admin"], announcement=ann,
                              data=announcement_data(title="Posyandu", target_kind="rw", rw=areas["rw2"].pk))
    assert (ann.title, ann.target_kind, ann.rw) == ("Posyandu", "rw", areas["rw2"])


def test_a_later_publish_time_keeps_messages_hidden_until_then(cast):
    later = timezone.now() + dt.timedelta(days=2)
    publish(cast["admin"], publish_at=later)
    resident = cast["resident"]
    assert list(selectors.inbox_list(user=resident)) == []
    assert list(selectors.public_announcements()) == []


def test_sms_goes_to_households_with_a_phone(cast, areas, outbox_file, django_capture_on_commit_callbacks):
    from bansos.registry.models import Household

    hh = cast["households"]
    Household.objects.filter(pk=hh["rw1"].pk).update(phone="081234567890")
    with django_capture_on_commit_callbacks(execute=True):
        ann = publish(cast["admin"], send_sms=True)
    sms = Message.objects.filter(reference=ann.reference, channel=Channel.SMS)
    assert ann.sms_queued == 1
    # The test task backend delivers at once; no gateway is configured: written to the file, not "sent".
    assert [(m.household_id, m.address, m.status) for m in sms] == [(hh["rw1"].pk, "081234567890", "logged")]
    assert "081234567890" in outbox_file.read_text()


# --- Inbox and reach ----------------------------------------------------------------------------------


def test_the_inbox_shows_only_the_residents_household(cast, areas):
    hh = cast["households"]
    publish(cast["admin"], target_kind="rw", rw=areas["rw2"].pk, title="Untuk RW 2")
    mine = publish(cast["admin"], target_kind="rw", rw=areas["rw1"].pk, title="Untuk RW 1")
    from bansos.notifications.services import notify

    notify(topic="uji", subject="Pribadi orang lain", body="x", household=hh["rw2"])
    notify(topic="uji", subject="Akun lain", body="x", user=cast["resident_other"])
    subjects = [m.subject for m in selectors.inbox_list(user=cast["resident"])]
    assert subjects == ["Untuk RW 1"]
    other_msg = Message.objects.get(subject="Untuk RW 2", household=hh["rw2"])
    from bansos.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        message_read(actor=cast["resident"], message=other_msg)
    assert Message.objects.get(pk=other_msg.pk).read_at is None
    own = Message.objects.get(reference=mine.reference, household=hh["rw1"])
    assert message_read(actor=cast["resident"], message=own).status == MessageStatus.READ


def test_reach_counts_received_and_opened_per_rw(cast, areas):
    hh = cast["households"]
    ann = publish(cast["admin"])
    own = Message.objects.get(reference=ann.reference, household=hh["rw1"])
    message_read(actor=cast["resident"], message=own)
    message_read(actor=cast["resident"], message=own)  # twice: still one household
    reach = selectors.announcement_reach(announcement=ann)
    rows = {r["rw"].number: (r["households"], r["received"], r["opened"]) for r in reach["rows"]}
    assert rows == {1: (2, 2, 1), 2: (1, 1, 0)}
    assert (reach["total"]["received"], reach["total"]["opened"], reach["total"]["opened_pct"]) == (3, 1, 33)


def test_program_reach_sums_the_programs_announcements(cast, areas, make_program, enrol):
    hh = cast["households"]
    program = make_program("dinsos", budget=10_000_000)
    enrol(program, hh["rw1"], "active")
    publish(cast["admin"], target_kind="program", program=program.pk)
    publish(cast["admin"], target_kind="rw", rw=areas["rw2"].pk, program=program.pk)
    publish(cast["admin"], target_kind="rw", rw=areas["rw2"].pk)  # not about the program
    reach = selectors.program_reach(user=cast["admin"], program=program)
    assert {r["rw"].number: r["received"] for r in reach["rows"]} == {1: 1, 2: 1}
    assert len(reach["announcements"]) == 2
