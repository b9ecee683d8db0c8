"""End-to-end walk through the services: the officer's flow of the issue, on both databases."""

from __future__ import annotations

import pytest

from bansos.core.errors import DomainError
from bansos.programs.models import EnrollmentState
from bansos.programs.services import enrollment as svc


def test_it_walks_apply_verify_approve_until_budget_runs_out(cast, make_program):
    officer = cast["officer"]
    program = make_program(budget=900_000)  # one participant costs 3 x 300.000
    hh = cast["households"]
    first = svc.enrollment_apply(actor=officer, program=program, household=hh["rw1"])
    second = svc.enrollment_apply(actor=officer, program=program, household=hh["rw2"])
    for e in (first, second):
        svc.enrollment_verify(actor=officer, enrollment=e, note="Dikunjungi 3 Maret")
    svc.enrollment_approve(actor=officer, enrollment=first)
    with pytest.raises(DomainError) as exc:
        svc.enrollment_approve(actor=officer, enrollment=second)
    assert exc.value.code == "budget_exhausted"
    second.refresh_from_db()
    program.refresh_from_db()
    assert second.state == EnrollmentState.VERIFIED
    assert (program.budget_committed, program.seats_taken) == (900_000, 1)
