"""The ``program_member`` predicate: met while the household receives one of the programs."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.eligibility import engine
from bansos.programs.services import enrollment as svc
from bansos.registry.models import Household

pytestmark = pytest.mark.django_db


def _rule(program_ids):
    return {"all": [{"p": "program_member", "op": "in", "value": list(program_ids)}]}


def _bulk_and_one(expression, household):
    ref = dt.date(2026, 6, 1)
    in_bulk = engine.eligible_households(expression, ref).filter(pk=household.pk).exists()
    facts = engine.facts_load(household.pk, ref)
    return in_bulk, engine.evaluate(expression, facts)


def test_it_is_met_only_while_the_household_receives_the_program(cast, make_program):
    officer = cast["officer"]
    program = make_program(budget=10_000_000)
    household = cast["households"]["rw1"]
    clean, errors = engine.expression_validate(_rule([program.pk]))
    assert not errors
    enrollment = svc.enrollment_apply(actor=officer, program=program, household=household)
    assert _bulk_and_one(clean, household) == (False, False)  # applied is not receiving
    svc.enrollment_verify(actor=officer, enrollment=enrollment, note="Dikunjungi")
    svc.enrollment_approve(actor=officer, enrollment=enrollment)
    assert _bulk_and_one(clean, household) == (True, True)
    svc.enrollment_start(actor=officer, enrollment=enrollment)
    svc.enrollment_suspend(actor=officer, enrollment=enrollment, reason="Pindah sementara")
    assert _bulk_and_one(clean, household) == (True, True)
    svc.enrollment_exit(actor=officer, enrollment=enrollment, reason="Pindah domisili")
    assert _bulk_and_one(clean, household) == (False, False)


def test_it_ignores_other_programs_and_other_households(cast, make_program):
    officer = cast["officer"]
    program, other = make_program(budget=10_000_000), make_program(budget=10_000_000, name="Program lain")
    household = cast["households"]["rw1"]
    enrollment = svc.enrollment_apply(actor=officer, program=other, household=household)
    svc.enrollment_verify(actor=officer, enrollment=enrollment, note="Dikunjungi")
    svc.enrollment_approve(actor=officer, enrollment=enrollment)
    clean, _errors = engine.expression_validate(_rule([program.pk]))
    assert _bulk_and_one(clean, household) == (False, False)
    both, _errors = engine.expression_validate(_rule([program.pk, other.pk]))
    assert _bulk_and_one(both, household) == (True, True)
    assert not engine.eligible_households(both, dt.date(2026, 6, 1)).exclude(pk=household.pk).exists()
    assert Household.objects.count() == 3
