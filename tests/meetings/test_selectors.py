import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bansos.meetings import selectors, services
from bansos.meetings.selectors import participation
from tests.meetings.helpers import add_member, held_meeting, members


@pytest.fixture
def small(cast, areas):
    """RW 1: one meeting with 3 registered attendees (2 women, 1 youth) and 5 others (3 women,
    youth not counted); RW 2: one meeting with Joko and 2 others (0 women, 1 youth)."""
    admin = cast["admin"]
    people = members(cast["households"]["rw1"])
    putri = add_member(actor=admin, household=cast["households"]["rw1"], name="Putri Ayu", sex="P",
                       birth_date=dt.date(2005, 1, 1))
    m1 = held_meeting(actor=admin, rw=areas["rw1"], date=dt.date(2025, 8, 17))
    for resident in (people["Budi"], people["Siti"], putri):
        services.attendance_add(actor=admin, meeting=m1, resident=resident)
    services.meeting_others_set(actor=admin, meeting=m1, count=5, women=3, youth=None)
    n1 = services.need_create(actor=admin, meeting=m1, data={"category": "housing", "description": "Saluran air",
                                                               "hand_votes": 10})
    services.need_create(actor=admin, meeting=m1, data={"category": "economy", "description": "Pelatihan kerja",
                                                          "hand_votes": 4})
    declined = services.need_create(actor=admin, meeting=m1, data={"category": "other", "description": "Futsal",
                                                                     "hand_votes": 30})
    services.need_set_status(actor=admin, need=declined, status="declined", reason="Tidak ada lahan")
    services.need_vote_add(actor=admin, need=n1, resident=putri)
    m2 = held_meeting(actor=admin, rw=areas["rw2"], date=dt.date(2025, 9, 1))
    services.attendance_add(actor=admin, meeting=m2, resident=members(cast["households"]["rw2"])["Joko"])
    services.meeting_others_set(actor=admin, meeting=m2, count=2, women=0, youth=1)
    services.need_create(actor=admin, meeting=m2, data={"category": "housing", "description": "Banjir",
                                                          "hand_votes": 7})
    return {"m1": m1, "m2": m2}


def test_participation_shares_are_exact_for_a_small_meeting(small):
    meeting = small["m1"]
    meeting.refresh_from_db()
    p = selectors.meeting_participation(meeting)
    assert (p.registered, p.others, p.total) == (3, 5, 8)
    assert (p.women, p.women_base, p.women_share) == (5, 8, 0.625)
    # Youth of the 5 others was not counted: the share is over the 3 known attendees.
    assert (p.youth, p.youth_base, p.youth_share) == (1, 3, 0.3333)


def test_participation_without_attendees_has_no_share():
    p = participation(registered=0, registered_women=0, registered_youth=0, others=0, others_known_women=0,
                      others_women=0, others_known_youth=0, others_youth=0)
    assert (p.women_share, p.youth_share) == (None, None)


def test_needs_overview_per_rw_and_kelurahan(small, areas):
    overview = selectors.needs_overview()
    kel = overview["kelurahan"]
    rw1, rw2 = overview["columns"]
    assert rw1["categories"]["housing"] == {"value": "housing", "label": "Perumahan & infrastruktur", "needs": 1,
                                            "votes": 11, "latest": dt.date(2025, 8, 17)}
    assert rw1["categories"]["other"]["needs"] == 0  # declined needs are not counted
    assert (rw1["needs"], rw1["votes"], rw2["needs"], rw2["votes"]) == (2, 15, 1, 7)
    assert kel["categories"]["housing"]["needs"] == 2
    assert kel["categories"]["housing"]["votes"] == 18
    assert kel["categories"]["housing"]["latest"] == dt.date(2025, 9, 1)
    assert [t["description"] for t in kel["top"]] == ["Saluran air", "Banjir", "Pelatihan kerja"]
    assert [t["total_votes"] for t in rw1["top"]] == [11, 4]
    assert rw1["participation"].as_dict() == {
        "registered": 3, "others": 5, "total": 8, "women": 5, "women_base": 8, "women_share": 0.625,
        "youth": 1, "youth_base": 3, "youth_share": 0.3333,
    }
    # Kelurahan: 4 registered (2 women, 1 youth) + 7 others (3 women of 7 counted, 1 youth of 2 counted).
    assert kel["participation"].as_dict() == {
        "registered": 4, "others": 7, "total": 11, "women": 5, "women_base": 11, "women_share": 0.4545,
        "youth": 2, "youth_base": 6, "youth_share": 0.3333,
    }
    assert (kel["meetings_held"], rw1["meetings_held"], rw2["meetings_held"]) == (2, 1, 1)


def test_needs_overview_for_one_rw(small, areas):
    overview = selectors.needs_overview(rw=areas["rw2"])
    assert overview["kelurahan"] is None
    (column,) = overview["columns"]
    assert (column["needs"], column["votes"], column["meetings_held"]) == (1, 7, 1)
    assert column["participation"].total == 3


def test_needs_overview_runs_a_bounded_number_of_queries(small, cast, areas):
    with CaptureQueriesContext(connection) as few:
        selectors.needs_overview()
    # Three more meetings with needs and attendance must not add a single query.
    for day in (2, 3, 4):
        meeting = held_meeting(actor=cast["admin"], rw=areas["rw2"], date=dt.date(2025, 9, day))
        services.need_create(actor=cast["admin"], meeting=meeting,
                             data={"category": "health", "description": f"Posyandu {day}", "hand_votes": day})
    with CaptureQueriesContext(connection) as more:
        selectors.needs_overview()
    assert len(few) == len(more) == 7


def test_attendee_candidates_stay_in_the_meeting_rw_and_the_user_scope(small, cast, areas):
    m1 = small["m1"]
    names = [r.full_name for r in selectors.attendee_candidates(user=cast["admin"], meeting=m1, q="an")]
    assert names == ["ANDI PRATAMA"]
    assert selectors.attendee_candidates(user=cast["admin"], meeting=m1, q="joko") == []
    # surveyor_rt sees RT 2 only (Sri Wahyuni's household), not Andi in RT 1.
    assert selectors.attendee_candidates(user=cast["surveyor_rt"], meeting=m1, q="andi") == []
    assert [r.full_name for r in selectors.attendee_candidates(user=cast["surveyor_rt"], meeting=m1,
                                                                  q="sri")] == ["SRI WAHYUNI"]


def test_meeting_attendees_shows_names_only_in_scope(small, cast):
    admin_view = selectors.meeting_attendees(user=cast["admin"], meeting=small["m1"])
    assert (len(admin_view["visible"]), admin_view["hidden_count"]) == (3, 0)
    other_view = selectors.meeting_attendees(user=cast["surveyor_other"], meeting=small["m1"])
    assert (other_view["visible"], other_view["hidden_count"]) == ([], 3)
    evaluator_view = selectors.meeting_attendees(user=cast["evaluator"], meeting=small["m1"])
    assert (evaluator_view["visible"], evaluator_view["hidden_count"]) == ([], 3)
