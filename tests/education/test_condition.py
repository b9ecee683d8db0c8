"""The attendance condition at its boundary: 85 % passes, below warns, the second month suspends, a good month resumes."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.core.errors import PermissionDeniedError, ValidationFailed
from tests.education.conftest import edu_state

SEP, OCT, NOV, DEC = (dt.date(2025, m, 1) for m in (9, 10, 11, 12))


def _record(actor, student, month, present, days=20):
    from bansos.education.services.attendance import attendance_record

    return attendance_record(actor=actor, student=student, month=month, present_days=present, school_days=days)


def test_exactly_85_percent_passes_below_warns_then_suspends_then_resumes(cast, participant, edu_program):
    from bansos.cash.services.cycles import cycle_create, cycle_generate
    from bansos.education.models import ConditionEvent

    record, enrollment = participant
    officer = cast["officer"]
    assert _record(officer, record, SEP, 17).events == []  # 17/20 = 85 %: passes
    outcome = _record(officer, record, OCT, 16)  # 80 %: the first month under warns
    assert [e.kind for e in outcome.events] == ["warning"]
    enrollment.refresh_from_db()
    assert enrollment.state == "active"
    outcome = _record(officer, record, NOV, 10)  # the second month in a row: suspended
    assert [(e.kind, e.misses) for e in outcome.events] == [("suspended", 2)]
    enrollment.refresh_from_db()
    assert enrollment.state == "suspended" and "85%" in enrollment.reason
    cycle = cycle_generate(actor=officer, cycle=cycle_create(actor=officer, program=edu_program, period_start=DEC))
    assert cycle.planned_count == 0 and cycle.generation_report["excluded"] == {"suspended": 1}
    outcome = _record(officer, record, DEC, 18)  # back above: resumed through the workflow
    assert [e.kind for e in outcome.events] == ["resumed"]
    enrollment.refresh_from_db()
    assert enrollment.state == "active"
    assert ConditionEvent.objects.count() == 3


def test_a_month_without_a_record_breaks_the_run(cast, participant):
    record, enrollment = participant
    _record(cast["officer"], record, SEP, 10)
    outcome = _record(cast["officer"], record, NOV, 10)
    assert [e.kind for e in outcome.events] == ["warning"]
    enrollment.refresh_from_db()
    assert enrollment.state == "active"


def test_the_program_sets_its_own_condition(cast, participant, edu_program):
    from bansos.education.services.programs import terms_set

    terms_set(actor=cast["officer"], program=edu_program, min_attendance=75, misses_to_suspend=1,
              resume_on_pass=False)
    record, enrollment = participant
    assert _record(cast["officer"], record, SEP, 15).events == []  # 75 % passes now
    assert [e.kind for e in _record(cast["officer"], record, OCT, 14).events] == ["suspended"]
    assert _record(cast["officer"], record, NOV, 20).events == []  # no automatic resume
    enrollment.refresh_from_db()
    assert enrollment.state == "suspended"


@pytest.mark.parametrize("month,present,days,field", [
    ("2025-10", 21, 20, "present_days"), ("2025-10", 5, 0, "school_days"), ("2025-10", -1, 20, "present_days"),
    ("bulan", 5, 20, "month"), ("2027-01", 5, 20, "month"), ("2024-10", 5, 20, "month"),
])
def test_bad_attendance_is_refused_and_changes_nothing(cast, participant, month, present, days, field):
    record, _enrollment = participant
    before = edu_state()
    with pytest.raises(ValidationFailed) as exc:
        _record(cast["officer"], record, month, present, days)
    assert field in exc.value.errors
    assert edu_state() == before


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_staff_of_the_program_record_attendance(cast, participant, who):
    from bansos.education.models import Attendance

    record, _e = participant
    _record(cast[who], record, OCT, 19)
    assert Attendance.objects.get(student=record, month=OCT).present_days == 19


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "resident", "evaluator", None])
def test_others_are_refused_and_nothing_changes(cast, participant, who):
    from django.contrib.auth.models import AnonymousUser

    record, _e = participant
    actor = cast[who] if who else AnonymousUser()
    before = edu_state()
    with pytest.raises(PermissionDeniedError):
        _record(actor, record, OCT, 10)
    assert edu_state() == before
