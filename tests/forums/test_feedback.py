"""Residents' ratings: of sessions they attended (training's Feedback and its summary) and of programs."""

from __future__ import annotations

import pytest

from bansos.forums.services import feedback
from tests.forums.conftest import refused


def test_a_resident_rates_a_session_he_attended_and_the_training_summary_counts_it(people, attended):
    from bansos.training.selectors import feedback_summary

    session = attended["sessions"][0]
    f = feedback.session_feedback_record(actor=people["resident"], session=session, rating="4", comment="Jelas")
    assert (f.rating, f.comment, f.participant_id, f.recorded_by_id) == (
        4, "Jelas", attended["participant"].pk, people["resident"].pk)
    again = feedback.session_feedback_record(actor=people["resident"], session=session, rating=5, comment="")
    assert again.pk == f.pk  # one rating per participant and session: recorded again, replaced
    summary = feedback_summary(attended["course"])
    assert (summary["count"], summary["avg"]) == (1, 5.0)
    assert summary["trainers"] == [{"trainer": "Bu Rina", "avg": 5.0, "count": 1}]


def test_a_resident_may_not_rate_a_session_he_missed(people, attended):
    refused("feedback_not_attended", feedback.session_feedback_record, actor=people["resident"],
            session=attended["sessions"][1], rating=3)


@pytest.mark.parametrize("who", ["resident_other", "admin", "officer"])
def test_only_the_participant_rates_through_the_resident_path(people, attended, who):
    refused("permission_denied", feedback.session_feedback_record, actor=people[who],
            session=attended["sessions"][0], rating=3)


def test_session_ratings_check_their_input(people, attended):
    err = refused("validation_failed", feedback.session_feedback_record, actor=people["resident"],
                  session=attended["sessions"][0], rating=6)
    assert list(err.errors) == ["rating"]
    err = refused("validation_failed", feedback.session_feedback_record, actor=people["resident"],
                  session=attended["sessions"][0], rating=4, comment="NIK saya 3173051708780001")
    assert list(err.errors) == ["comment"]


def test_staff_still_record_feedback_for_participants(people, attended):
    from bansos.training.services.participants import feedback_record

    f = feedback_record(actor=people["officer"], participant=attended["participant"], rating=2,
                        session=attended["sessions"][1])
    assert f.rating == 2
    refused("permission_denied", feedback_record, actor=people["officer_other"], participant=attended["participant"],
            rating=2)


def test_sessions_awaiting_a_rating(people, attended):
    from bansos.forums.selectors import sessions_to_rate

    first = attended["sessions"][0]
    assert sessions_to_rate(people["resident"]) == [first]
    feedback.session_feedback_record(actor=people["resident"], session=first, rating=4)
    assert sessions_to_rate(people["resident"]) == []
    assert sessions_to_rate(people["resident_other"]) == []


def test_a_resident_rates_a_program_once_and_may_edit_it(people, program_forum, program):
    from bansos.forums.models import ProgramFeedback
    from bansos.forums.selectors import program_feedback_summary

    f = feedback.program_feedback_record(actor=people["resident"], program=program, rating=3, comment="Lambat cair")
    g = feedback.program_feedback_record(actor=people["resident"], program=program, rating=4, comment="Sudah cair")
    assert f.pk == g.pk and ProgramFeedback.objects.count() == 1
    assert (g.rating, g.comment, g.household_id) == (4, "Sudah cair", people["households"]["rw1"].pk)
    # Another member of the same household has a rating of his own.
    user = people["resident"]
    user.resident = user.household.residents.get(relation="spouse")
    user.save()
    feedback.program_feedback_record(actor=user, program=program, rating=2)
    s = program_feedback_summary(program)
    assert (s["count"], s["avg"]) == (2, 3.0)
    assert [d["count"] for d in s["distribution"]] == [0, 1, 0, 1, 0]
    assert [c["comment"] for c in s["comments"]] == ["Sudah cair"]


def test_only_participating_households_rate_a_program(people, program_forum, program):
    refused("permission_denied", feedback.program_feedback_record, actor=people["resident_other"], program=program,
            rating=5)
    refused("permission_denied", feedback.program_feedback_record, actor=people["admin"], program=program, rating=5)
    err = refused("validation_failed", feedback.program_feedback_record, actor=people["resident"], program=program,
                  rating=0)
    assert list(err.errors) == ["rating"]


def test_an_account_without_its_person_cannot_rate(people, program_forum, program):
    user = people["resident"]
    user.resident = None
    user.save()
    refused("permission_denied", feedback.program_feedback_record, actor=user, program=program, rating=5)


def test_the_program_summary_is_for_the_programs_agency_and_the_admin(people, program):
    from bansos.forums.access import can_see_program_feedback

    allowed = {who for who in ("admin", "officer", "officer_other", "surveyor", "cadre", "evaluator", "resident")
               if can_see_program_feedback(people[who], program)}
    assert allowed == {"admin", "officer"}
