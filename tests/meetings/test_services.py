import datetime as dt

import pytest

from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent
from bansos.meetings import services
from bansos.meetings.models import Attendance, Meeting, Need, NeedVote
from tests.meetings.helpers import PAST, add_member, held_meeting, members, state


@pytest.fixture
def rw1_meeting(cast, areas):
    return held_meeting(actor=cast["admin"], rw=areas["rw1"])


def test_it_creates_a_planned_meeting_with_an_audit_event(cast, areas):
    before = AuditEvent.objects.count()
    meeting = services.meeting_create(
        actor=cast["surveyor"],
        data={"date": dt.date(2030, 1, 5), "rw": areas["rw1"], "title": " Musyawarah Januari ", "agenda": "",
              "place": "Pos RW 01", "decisions": ["Kerja bakti", " "]},
    )
    assert (meeting.status, meeting.title, meeting.rw, meeting.decisions) == ("planned", "Musyawarah Januari",
                                                                              areas["rw1"], ["Kerja bakti"])
    assert meeting.created_by == cast["surveyor"]
    event = AuditEvent.objects.get(action="meeting.create")
    assert AuditEvent.objects.count() == before + 1
    assert event.actor == cast["surveyor"]
    assert event.changes["title"] == [None, "Musyawarah Januari"]


def test_it_refuses_a_meeting_without_title_or_date_and_changes_nothing(cast, areas):
    before = state()
    with pytest.raises(ValidationFailed) as exc:
        services.meeting_create(actor=cast["admin"], data={"date": None, "rw": areas["rw1"], "title": "  "})
    assert exc.value.errors == {"title": [str(services.MSG_REQUIRED)], "date": [str(services.MSG_REQUIRED)]}
    assert state() == before


def test_it_refuses_a_held_meeting_in_the_future(cast, areas):
    before = state()
    with pytest.raises(ValidationFailed) as exc:
        held_meeting(actor=cast["admin"], rw=areas["rw1"], date=dt.date.today() + dt.timedelta(days=3))
    assert exc.value.errors == {"date": [str(services.MSG_DATE_FUTURE_HELD)]}
    assert state() == before


def test_admin_creates_a_kelurahan_wide_meeting(cast):
    meeting = held_meeting(actor=cast["admin"], rw=None, title="Musrenbang kelurahan")
    assert meeting.rw is None and meeting.is_kelurahan_wide


@pytest.mark.parametrize("rw_key", ["rw1", None])
def test_it_refuses_a_surveyor_of_rw2_creating_an_rw1_or_kelurahan_meeting(cast, areas, rw_key):
    before = state()
    with pytest.raises(PermissionDeniedError):
        held_meeting(actor=cast["surveyor_other"], rw=areas[rw_key] if rw_key else None)
    assert state() == before


@pytest.mark.parametrize("who", ["officer", "cadre", "evaluator", "resident"])
def test_it_refuses_roles_without_meeting_rights(cast, areas, who):
    before = state()
    with pytest.raises(PermissionDeniedError):
        held_meeting(actor=cast[who], rw=areas["rw1"])
    assert state() == before


def test_a_surveyor_edits_a_meeting_of_their_rw(cast, rw1_meeting):
    services.meeting_update(actor=cast["surveyor"], meeting=rw1_meeting,
                            data={"minutes": "Dibuka pukul 19.30.", "decisions": "Kerja bakti\nPosyandu remaja"})
    rw1_meeting.refresh_from_db()
    assert rw1_meeting.minutes == "Dibuka pukul 19.30."
    assert rw1_meeting.decisions == ["Kerja bakti", "Posyandu remaja"]
    event = AuditEvent.objects.get(action="meeting.update")
    assert event.changes == {"minutes": ["", "Dibuka pukul 19.30."],
                             "decisions": [[], ["Kerja bakti", "Posyandu remaja"]]}


def test_it_refuses_a_surveyor_of_rw2_editing_an_rw1_meeting(cast, rw1_meeting):
    before = state()
    with pytest.raises(PermissionDeniedError):
        services.meeting_update(actor=cast["surveyor_other"], meeting=rw1_meeting, data={"title": "Diubah"})
    with pytest.raises(PermissionDeniedError):
        services.meeting_set_status(actor=cast["surveyor_other"], meeting=rw1_meeting, status="cancelled")
    assert state() == before


def test_it_refuses_a_surveyor_editing_a_kelurahan_wide_meeting(cast):
    meeting = held_meeting(actor=cast["admin"], rw=None)
    before = state()
    with pytest.raises(PermissionDeniedError):
        services.meeting_update(actor=cast["surveyor"], meeting=meeting, data={"title": "Diubah"})
    assert state() == before


def test_it_refuses_a_surveyor_moving_their_meeting_to_another_rw(cast, areas, rw1_meeting):
    before = state()
    with pytest.raises(PermissionDeniedError):
        services.meeting_update(actor=cast["surveyor"], meeting=rw1_meeting, data={"rw": areas["rw2"]})
    assert state() == before


def test_meeting_status_moves_planned_to_held_and_cancelled_to_planned(cast, areas):
    meeting = services.meeting_create(actor=cast["admin"], data={"date": PAST, "rw": areas["rw1"], "title": "A"})
    services.meeting_set_status(actor=cast["admin"], meeting=meeting, status="cancelled", reason="hujan")
    services.meeting_set_status(actor=cast["admin"], meeting=meeting, status="planned")
    services.meeting_set_status(actor=cast["admin"], meeting=meeting, status="held")
    meeting.refresh_from_db()
    assert meeting.status == "held"
    events = list(AuditEvent.objects.filter(action="meeting.status").order_by("id").values_list("changes", "reason"))
    assert events == [({"status": ["planned", "cancelled"]}, "hujan"), ({"status": ["cancelled", "planned"]}, ""),
                      ({"status": ["planned", "held"]}, "")]


def test_it_refuses_to_reopen_a_held_meeting(cast, rw1_meeting):
    before = state()
    with pytest.raises(DomainError) as exc:
        services.meeting_set_status(actor=cast["admin"], meeting=rw1_meeting, status="planned")
    assert exc.value.code == "meeting_status_transition"
    assert state() == before


# --- Attendance ------------------------------------------------------------------------------


def test_it_records_attendance_with_sex_and_youth_on_the_meeting_date(cast, rw1_meeting):
    people = members(cast["households"]["rw1"])
    services.attendance_add(actor=cast["surveyor"], meeting=rw1_meeting, resident=people["Siti"])
    # Andi was born 20 November 2010: 14 on 17 August 2025, not yet youth.
    services.attendance_add(actor=cast["surveyor"], meeting=rw1_meeting, resident=people["Andi"])
    rows = list(Attendance.objects.order_by("id").values_list("resident__full_name", "is_woman", "is_youth"))
    assert rows == [("SITI AMINAH", True, False), ("ANDI PRATAMA", False, False)]
    event = AuditEvent.objects.filter(action="meeting.attendance_add").first()
    assert event.household_id == cast["households"]["rw1"].pk


def test_youth_is_judged_on_the_meeting_date(cast, areas):
    household = cast["households"]["rw1"]
    # 16 on 17 August 2025 exactly, and 31 the day before: only the first is youth (16-30).
    young = add_member(actor=cast["admin"], household=household, name="Putri Ayu", sex="P",
                       birth_date=dt.date(2009, 8, 17))
    older = add_member(actor=cast["admin"], household=household, name="Rudi Hartono", sex="L",
                       birth_date=dt.date(1994, 8, 16), relation="other_family")
    meeting = held_meeting(actor=cast["admin"], rw=areas["rw1"])
    assert services.attendance_add(actor=cast["admin"], meeting=meeting, resident=young).is_youth is True
    assert services.attendance_add(actor=cast["admin"], meeting=meeting, resident=older).is_youth is False


def test_it_refuses_attendance_twice_and_at_a_planned_meeting(cast, areas, rw1_meeting):
    people = members(cast["households"]["rw1"])
    services.attendance_add(actor=cast["admin"], meeting=rw1_meeting, resident=people["Budi"])
    planned = services.meeting_create(actor=cast["admin"], data={"date": PAST, "rw": areas["rw1"], "title": "B"})
    before = state()
    with pytest.raises(DomainError) as exc:
        services.attendance_add(actor=cast["admin"], meeting=rw1_meeting, resident=people["Budi"])
    assert exc.value.code == "already_attending"
    with pytest.raises(DomainError) as exc:
        services.attendance_add(actor=cast["admin"], meeting=planned, resident=people["Budi"])
    assert exc.value.code == "meeting_not_held"
    assert state() == before


def test_it_refuses_a_resident_from_another_rw(cast, rw1_meeting):
    joko = members(cast["households"]["rw2"])["Joko"]
    before = state()
    with pytest.raises(DomainError) as exc:
        services.attendance_add(actor=cast["admin"], meeting=rw1_meeting, resident=joko)
    assert exc.value.code == "resident_outside_rw"
    assert state() == before


def test_a_kelurahan_meeting_takes_residents_of_every_rw(cast):
    meeting = held_meeting(actor=cast["admin"], rw=None)
    services.attendance_add(actor=cast["admin"], meeting=meeting, resident=members(cast["households"]["rw2"])["Joko"])
    services.attendance_add(actor=cast["admin"], meeting=meeting, resident=members(cast["households"]["rw1"])["Budi"])
    assert meeting.attendances.count() == 2


def test_it_refuses_an_rt_surveyor_adding_someone_outside_their_rt(cast, rw1_meeting):
    # surveyor_rt manages RW 1 meetings but sees only RT 2: RT 1 households are not theirs to probe.
    before = state()
    with pytest.raises(NotFoundError):
        services.attendance_add(actor=cast["surveyor_rt"], meeting=rw1_meeting,
                                resident=members(cast["households"]["rw1"])["Budi"])
    assert state() == before


def test_removing_an_attendee_removes_their_votes(cast, rw1_meeting):
    budi = members(cast["households"]["rw1"])["Budi"]
    services.attendance_add(actor=cast["admin"], meeting=rw1_meeting, resident=budi)
    need = services.need_create(actor=cast["admin"], meeting=rw1_meeting,
                                data={"category": "housing", "description": "Saluran air mampet", "hand_votes": 4})
    services.need_vote_add(actor=cast["admin"], need=need, resident=budi)
    services.attendance_remove(actor=cast["admin"], meeting=rw1_meeting, resident=budi)
    assert (Attendance.objects.count(), NeedVote.objects.count()) == (0, 0)
    assert AuditEvent.objects.filter(action="meeting.attendance_remove").count() == 1


def test_others_counts_are_stored_and_checked(cast, rw1_meeting):
    services.meeting_others_set(actor=cast["surveyor"], meeting=rw1_meeting, count=5, women=3, youth=None)
    rw1_meeting.refresh_from_db()
    assert (rw1_meeting.others_count, rw1_meeting.others_women, rw1_meeting.others_youth) == (5, 3, None)
    before = state()
    with pytest.raises(ValidationFailed) as exc:
        services.meeting_others_set(actor=cast["surveyor"], meeting=rw1_meeting, count=2, women=3, youth=-1)
    assert exc.value.errors == {"others_youth": [str(services.MSG_NEGATIVE)],
                                "others_women": [str(services.MSG_OTHERS_SUBSET)]}
    with pytest.raises(PermissionDeniedError):
        services.meeting_others_set(actor=cast["surveyor_other"], meeting=rw1_meeting, count=9)
    assert state() == before


# --- Needs -----------------------------------------------------------------------------------


def test_it_records_a_need_for_the_meeting_rw(cast, areas, rw1_meeting):
    need = services.need_create(actor=cast["surveyor"], meeting=rw1_meeting, data={
        "category": "economy", "description": "Pelatihan menjahit untuk ibu rumah tangga", "hand_votes": 12})
    assert (need.rw, need.status, need.hand_votes) == (areas["rw1"], "raised", 12)
    assert AuditEvent.objects.get(action="need.create").changes["hand_votes"] == [None, 12]


def test_it_refuses_a_need_with_bad_input_or_another_rw(cast, areas, rw1_meeting):
    before = state()
    with pytest.raises(ValidationFailed) as exc:
        services.need_create(actor=cast["admin"], meeting=rw1_meeting,
                             data={"category": "space", "description": "", "hand_votes": -2, "rw": areas["rw2"]})
    assert exc.value.errors == {
        "description": [str(services.MSG_REQUIRED)], "category": [str(services.MSG_INVALID_CHOICE)],
        "hand_votes": [str(services.MSG_NEGATIVE)], "rw": [str(services.MSG_NEED_RW_MISMATCH)],
    }
    assert state() == before


def test_it_refuses_a_surveyor_of_rw2_recording_a_need_in_rw1(cast, rw1_meeting):
    before = state()
    with pytest.raises(PermissionDeniedError):
        services.need_create(actor=cast["surveyor_other"], meeting=rw1_meeting,
                             data={"category": "health", "description": "Posyandu", "hand_votes": 1})
    assert state() == before


def test_need_status_transitions_and_decline_reason(cast, rw1_meeting):
    need = services.need_create(actor=cast["admin"], meeting=rw1_meeting,
                                data={"category": "health", "description": "Posyandu balita", "hand_votes": 3})
    before = state()
    with pytest.raises(ValidationFailed) as exc:
        services.need_set_status(actor=cast["admin"], need=need, status="declined", reason=" ")
    assert exc.value.errors == {"reason": [str(services.MSG_REASON_REQUIRED)]}
    assert state() == before
    services.need_set_status(actor=cast["admin"], need=need, status="adopted")
    services.need_set_status(actor=cast["admin"], need=need, status="addressed")
    before = state()
    with pytest.raises(DomainError) as exc:
        services.need_set_status(actor=cast["admin"], need=need, status="raised")
    assert exc.value.code == "need_status_transition"
    assert state() == before
    need.refresh_from_db()
    assert need.status == "addressed"


def test_a_declined_need_keeps_its_reason(cast, rw1_meeting):
    need = services.need_create(actor=cast["admin"], meeting=rw1_meeting,
                                data={"category": "other", "description": "Lapangan futsal", "hand_votes": 2})
    services.need_set_status(actor=cast["surveyor"], need=need, status="declined", reason="Lahan tidak tersedia")
    need.refresh_from_db()
    assert (need.status, need.status_reason) == ("declined", "Lahan tidak tersedia")


def test_per_attendee_votes_only_from_attendees_and_once(cast, rw1_meeting):
    people = members(cast["households"]["rw1"])
    services.attendance_add(actor=cast["admin"], meeting=rw1_meeting, resident=people["Budi"])
    need = services.need_create(actor=cast["admin"], meeting=rw1_meeting,
                                data={"category": "education", "description": "Bantuan biaya sekolah",
                                      "hand_votes": 0})
    services.need_vote_add(actor=cast["surveyor"], need=need, resident=people["Budi"])
    before = state()
    with pytest.raises(DomainError) as exc:
        services.need_vote_add(actor=cast["surveyor"], need=need, resident=people["Budi"])
    assert exc.value.code == "already_voted"
    with pytest.raises(DomainError) as exc:
        services.need_vote_add(actor=cast["surveyor"], need=need, resident=people["Siti"])
    assert exc.value.code == "voter_not_attendee"
    with pytest.raises(PermissionDeniedError):
        services.need_vote_add(actor=cast["surveyor_other"], need=need, resident=people["Budi"])
    assert state() == before
    services.need_vote_remove(actor=cast["surveyor"], need=need, resident=people["Budi"])
    assert NeedVote.objects.count() == 0


def test_need_update_changes_votes_with_audit(cast, rw1_meeting):
    need = services.need_create(actor=cast["admin"], meeting=rw1_meeting,
                                data={"category": "housing", "description": "Saluran", "hand_votes": 3})
    services.need_update(actor=cast["surveyor"], need=need, data={"hand_votes": 8})
    need.refresh_from_db()
    assert need.hand_votes == 8
    assert AuditEvent.objects.get(action="need.update").changes == {"hand_votes": [3, 8]}
    before = state()
    with pytest.raises(PermissionDeniedError):
        services.need_update(actor=cast["surveyor_other"], need=need, data={"hand_votes": 99})
    assert state() == before
    assert Need.objects.get().hand_votes == 8
    assert Meeting.objects.count() == 1
