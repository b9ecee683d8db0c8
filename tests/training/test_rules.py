"""The completion rule at its boundaries, alone and through course_finish."""

from __future__ import annotations

import pytest

from bansos.training.models import Outcome
from bansos.training.rules import verdict
from tests.training.conftest import mark


@pytest.mark.parametrize(("attended", "sessions", "pct", "expected"), [
    (6, 8, 75, Outcome.COMPLETED),  # exactly 75%
    (5, 8, 75, Outcome.NOT_COMPLETED),  # one below
    (2, 3, 67, Outcome.NOT_COMPLETED),  # 66.67% < 67: no rounding up
    (2, 3, 66, Outcome.COMPLETED),
    (0, 4, 0, Outcome.COMPLETED),
    (4, 4, 100, Outcome.COMPLETED),
    (3, 4, 100, Outcome.NOT_COMPLETED),
])
def test_attendance_share_is_compared_exactly(attended, sessions, pct, expected):
    v = verdict(state="active", attended=attended, sessions=sessions, min_pct=pct, pass_score=None, score=None)
    assert v.outcome == expected


@pytest.mark.parametrize(("score", "expected"), [(70, Outcome.COMPLETED), (69, Outcome.NOT_COMPLETED),
                                                 (100, Outcome.COMPLETED), (None, Outcome.NOT_COMPLETED)])
def test_score_at_the_pass_mark(score, expected):
    v = verdict(state="active", attended=4, sessions=4, min_pct=75, pass_score=70, score=score)
    assert v.outcome == expected
    if score is None:
        assert v.reasons == ["Belum ada nilai asesmen (nilai lulus 70)"]


def test_both_reasons_are_given():
    v = verdict(state="active", attended=1, sessions=4, min_pct=75, pass_score=70, score=50)
    assert v.reasons == ["Kehadiran 1 dari 4 pertemuan, di bawah minimum 75%",
                         "Nilai asesmen 50, di bawah nilai lulus 70"]


def test_dropped_is_dropped_whatever_the_attendance():
    v = verdict(state="dropped", attended=4, sessions=4, min_pct=75, pass_score=None, score=100)
    assert v.outcome == Outcome.DROPPED


def test_finish_freezes_outcomes_at_the_boundaries(cast, course, with_people):
    from bansos.training.services.courses import course_finish
    from bansos.training.services.participants import participant_drop, participant_score_set

    c = course(sessions=8, pass_score=70)
    exact, below, no_score, low_score, dropped = with_people(c, 5)
    mark(cast["officer"], c, [exact, no_score, low_score, dropped], 6)
    mark(cast["officer"], c, [below], 5)
    for p in (exact, below, dropped):
        participant_score_set(actor=cast["officer"], participant=p, score=70)
    participant_score_set(actor=cast["officer"], participant=low_score, score=69)
    participant_drop(actor=cast["officer"], participant=dropped, reason="Pindah ke luar kota")
    course_finish(actor=cast["officer"], course=c)
    c.refresh_from_db()
    assert c.status == "finished" and c.finished_at is not None
    got = {p.pk: (p.outcome, p.completed_at is not None) for p in c.participants.all()}
    assert got == {
        exact.pk: (Outcome.COMPLETED, True),
        below.pk: (Outcome.NOT_COMPLETED, False),
        no_score.pk: (Outcome.NOT_COMPLETED, False),
        low_score.pk: (Outcome.NOT_COMPLETED, False),
        dropped.pk: (Outcome.DROPPED, False),
    }


def test_outcomes_stay_frozen_after_finishing(cast, course, with_people):
    from bansos.training.services.courses import course_finish
    from bansos.training.services.participants import participant_score_set
    from tests.training.conftest import refused

    c = course(sessions=2, pass_score=50)
    (p,) = with_people(c, 1)
    mark(cast["officer"], c, [p], 2)
    course_finish(actor=cast["officer"], course=c)
    refused("outcome_frozen", participant_score_set, actor=cast["officer"], participant=p, score=90)
    p.refresh_from_db()
    assert p.outcome == Outcome.NOT_COMPLETED
