"""The graduation rule at its boundaries, confirm/decline both ways, and the follow-up (relapse)."""

from __future__ import annotations

import pytest

from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.selfreliance.models import Graduation, GraduationState
from bansos.selfreliance.selectors import followup
from bansos.selfreliance.services.graduation import (
    graduation_confirm, graduation_decline, graduation_propose_month,
)
from tests.selfreliance.conftest import MONTH, add_months, run_of

pytestmark = pytest.mark.django_db

# Model v1: threshold 70, six months.


@pytest.fixture
def receiving(cast, cash_program, enrol):
    h = cast["households"]["rw1"]
    return h, enrol(cash_program, h, "active")


def test_it_proposes_after_exactly_six_months_at_or_above_the_threshold(receiving, scores):
    h, _e = receiving
    scores(h, run_of(MONTH, [70, 75, 80, 70, 90, 70]))
    made = graduation_propose_month(actor=None, month=MONTH)
    assert [(g.household_id, g.month, g.score, g.state) for g in made] == [(h.pk, MONTH, 70, "proposed")]


def test_it_does_not_propose_one_month_short(receiving, scores):
    h, _e = receiving
    scores(h, run_of(MONTH, [90, 90, 90, 90, 90]))
    assert graduation_propose_month(actor=None, month=MONTH) == []


def test_a_dip_in_between_breaks_the_run(receiving, scores):
    h, _e = receiving
    scores(h, run_of(MONTH, [90, 90, 90, 69, 90, 90, 90]))
    assert graduation_propose_month(actor=None, month=MONTH) == []
    scores(h, {add_months(MONTH, 1): 90, add_months(MONTH, 2): 90, add_months(MONTH, 3): 90})
    assert graduation_propose_month(actor=None, month=add_months(MONTH, 2)) == []  # five months after the dip
    assert len(graduation_propose_month(actor=None, month=add_months(MONTH, 3))) == 1  # six


def test_a_missing_month_breaks_the_run(receiving, scores):
    h, _e = receiving
    run = run_of(MONTH, [90] * 6)
    del run[add_months(MONTH, -2)]
    scores(h, run)
    assert graduation_propose_month(actor=None, month=MONTH) == []


def test_it_proposes_only_households_with_active_cash_aid_and_only_once(cast, receiving, scores):
    h, _e = receiving
    other = cast["households"]["rw2"]  # no cash aid
    scores(h, run_of(MONTH, [90] * 6))
    scores(other, run_of(MONTH, [95] * 6))
    assert [g.household_id for g in graduation_propose_month(actor=None, month=MONTH)] == [h.pk]
    assert graduation_propose_month(actor=None, month=MONTH) == []
    assert Graduation.objects.count() == 1


def _proposal(receiving, scores) -> Graduation:
    h, _e = receiving
    scores(h, run_of(MONTH, [90] * 6))
    return graduation_propose_month(actor=None, month=MONTH)[0]


def test_admin_confirms_and_the_cash_enrollment_ends_graduated(cast, receiving, scores):
    from bansos.core.models import AuditEvent
    from bansos.notifications.models import Message

    g = _proposal(receiving, scores)
    _h, enrollment = receiving
    graduation_confirm(actor=cast["admin"], graduation=g, note="Usaha keluarga stabil")
    g.refresh_from_db()
    enrollment.refresh_from_db()
    assert (g.state, g.decided_by, g.ended_enrollments, g.reason) == ("confirmed", cast["admin"], [enrollment.pk],
                                                                       "Usaha keluarga stabil")
    assert enrollment.state == "graduated" and enrollment.ended_at is not None
    assert AuditEvent.objects.filter(action="selfreliance.graduation_confirm", household_id=g.household_id).count() == 1
    assert AuditEvent.objects.filter(action="enrollment.graduate", household_id=g.household_id).count() == 1
    assert Message.objects.filter(household=g.household, topic="selfreliance.graduated").count() == 1


def test_the_officer_of_the_cash_programs_agency_confirms(cast, receiving, scores):
    g = _proposal(receiving, scores)
    graduation_confirm(actor=cast["officer"], graduation=g)
    assert Graduation.objects.get(pk=g.pk).state == "confirmed"


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "evaluator", "resident", "cadre"])
def test_others_are_refused_and_nothing_changes(cast, receiving, scores, who):
    g = _proposal(receiving, scores)
    _h, enrollment = receiving
    for call in (lambda: graduation_confirm(actor=cast[who], graduation=g),
                 lambda: graduation_decline(actor=cast[who], graduation=g, reason="Belum stabil")):
        with pytest.raises(PermissionDeniedError):
            call()
    assert Graduation.objects.get(pk=g.pk).state == "proposed"
    enrollment.refresh_from_db()
    assert enrollment.state == "active"


def test_an_officer_is_refused_when_another_agency_also_pays_cash(cast, receiving, scores, other_cash_program, enrol):
    h, enrollment = receiving
    enrol(other_cash_program, h, "active")
    g = _proposal(receiving, scores)
    with pytest.raises(PermissionDeniedError):
        graduation_confirm(actor=cast["officer"], graduation=g)
    enrollment.refresh_from_db()
    assert (Graduation.objects.get(pk=g.pk).state, enrollment.state) == ("proposed", "active")
    graduation_confirm(actor=cast["admin"], graduation=g)  # the admin decides across agencies
    assert h.enrollments.filter(state="graduated").count() == 2


def test_decline_needs_a_reason_and_keeps_the_aid(cast, receiving, scores):
    g = _proposal(receiving, scores)
    _h, enrollment = receiving
    with pytest.raises(DomainError) as exc:
        graduation_decline(actor=cast["officer"], graduation=g, reason="  ")
    assert exc.value.field == "reason"
    assert Graduation.objects.get(pk=g.pk).state == "proposed"
    graduation_decline(actor=cast["officer"], graduation=g, reason="Penghasilan belum tetap")
    g.refresh_from_db()
    enrollment.refresh_from_db()
    assert (g.state, g.reason, enrollment.state) == ("declined", "Penghasilan belum tetap", "active")
    with pytest.raises(DomainError) as exc:
        graduation_confirm(actor=cast["admin"], graduation=g)
    assert exc.value.code == "graduation_decided"


def test_a_declined_household_needs_six_fresh_months(cast, receiving, scores):
    h, _e = receiving
    g = _proposal(receiving, scores)
    graduation_decline(actor=cast["admin"], graduation=g, reason="Belum stabil")
    scores(h, {add_months(MONTH, i): 90 for i in range(1, 7)})
    assert graduation_propose_month(actor=None, month=add_months(MONTH, 5)) == []
    assert len(graduation_propose_month(actor=None, month=add_months(MONTH, 6))) == 1


def test_followup_flags_a_relapse(cast, receiving, scores):
    h, _e = receiving
    g = _proposal(receiving, scores)
    graduation_confirm(actor=cast["admin"], graduation=g)
    scores(h, {add_months(MONTH, 1): 80, add_months(MONTH, 2): 60, add_months(MONTH, 3): 72})
    row = followup(user=cast["admin"], month=add_months(MONTH, 3))[0]
    assert (row["months_since"], row["latest_score"], row["months_below"], row["relapse"]) == (3, 72, 1, False)
    scores(h, {add_months(MONTH, 4): 55})
    row = followup(user=cast["admin"], month=add_months(MONTH, 4))[0]
    assert (row["months_since"], row["latest_score"], row["months_below"], row["relapse"]) == (4, 55, 2, True)
    # The officer whose program graduated the household follows it; another agency's officer does not.
    assert len(followup(user=cast["officer"], month=add_months(MONTH, 4))) == 1
    assert followup(user=cast["officer_other"], month=add_months(MONTH, 4)) == []
