"""Stipends through a real cash cycle: the real level and the private top-up come from the school records."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.education.conftest import KJP, OCTOBER, child


def _generate(cast, program):
    from bansos.cash.services.cycles import cycle_create, cycle_generate

    cycle = cycle_create(actor=cast["officer"], program=program, period_start=OCTOBER)
    return cycle_generate(actor=cast["officer"], cycle=cycle)


def test_stipend_amounts_follow_the_school_level_and_private_top_up(cast, edu_program, enrol, student, households):
    from bansos.cash.models import Entitlement

    andi = child(cast["households"]["rw1"], "Andi Pratama")  # 14: SMP by age, but at a private SMK
    rina = child(cast["households"]["rw1_rt2"], "Rina Lestari")  # 13: SMP by age, but learning at a PKBM
    student(andi, "smk", 10)
    student(rina, "pkbm", 7)
    budi_child = child(cast["households"]["rw2"], "Andi Pratama")  # no student record: the age rule (SMP)
    for resident in (andi, rina, budi_child):
        enrol(edu_program, resident.household, "active", resident=resident)
    cycle = _generate(cast, edu_program)
    amounts = dict(Entitlement.objects.filter(cycle=cycle).values_list("participant_id", "amount"))
    assert amounts == {
        andi.pk: KJP["per_child_smk"] + KJP["per_child_private"],
        rina.pk: KJP["per_child_pkbm"],
        budi_child.pk: KJP["per_child_smp"],
    }
    breakdown = Entitlement.objects.get(cycle=cycle, participant=andi).breakdown
    assert [(b["code"], b["amount"]) for b in breakdown] == [("per_child_private", 150_000),
                                                            ("per_child_smk", 450_000)]


def test_a_record_of_another_school_year_is_not_the_level(cast, edu_program, enrol, schools):
    from bansos.cash.models import Entitlement
    from bansos.education.services.students import student_enroll

    andi = child(cast["households"]["rw1"], "Andi Pratama")
    student_enroll(actor=cast["admin"], resident=andi, school=schools["smk"], grade=10, school_year="2026/2027")
    enrol(edu_program, andi.household, "active", resident=andi)
    cycle = _generate(cast, edu_program)
    assert Entitlement.objects.get(cycle=cycle).amount == KJP["per_child_smp"]  # October 2025: age rule


def test_the_school_level_hook_is_one_query_whatever_the_number_of_residents(cast, student):
    from bansos.education.hooks import school_levels
    from bansos.registry.models import Resident

    for key, name in (("rw1", "Andi Pratama"), ("rw1_rt2", "Rina Lestari"), ("rw2", "Andi Pratama")):
        student(child(cast["households"][key], name), "smk", 10)
    with CaptureQueriesContext(connection) as ctx:
        found = school_levels(Resident.objects.values("pk"), dt.date(2025, 10, 1))
    assert len(ctx.captured_queries) == 1
    assert sorted(found.values()) == [("smk", True)] * 3


def test_household_programs_use_the_real_level_too(cast, enrol, student, make_program, bank):
    from bansos.cash.models import Entitlement
    from bansos.cash.services.setup import scheme_set

    program = make_program("dinsos", budget=20_000_000, benefit_amount=1_000_000, benefit_periods=12,
                           start_date=dt.date(2025, 7, 1), end_date=dt.date(2026, 6, 30))
    scheme_set(actor=cast["officer"], program=program, data={
        "frequency": "monthly", "amount_rule": "components", "institution": bank, **KJP})
    household = cast["households"]["rw1"]
    student(child(household, "Andi Pratama"), "smk", 10)
    enrol(program, household, "active")
    cycle = _generate(cast, program)
    assert Entitlement.objects.get(cycle=cycle).amount == KJP["per_child_smk"] + KJP["per_child_private"]


def test_a_scheme_without_an_smk_amount_pays_smk_students_the_sma_amount(cast, enrol, student, make_program, bank):
    from bansos.cash.models import Entitlement
    from bansos.cash.services.setup import scheme_set

    program = make_program("dinsos", budget=20_000_000, benefit_amount=1_000_000, benefit_periods=12,
                           start_date=dt.date(2025, 7, 1), end_date=dt.date(2026, 6, 30))
    scheme_set(actor=cast["officer"], program=program, data={
        "frequency": "monthly", "amount_rule": "components", "institution": bank, **KJP, "per_child_smk": 0})
    household = cast["households"]["rw1"]
    student(child(household, "Andi Pratama"), "smk", 10)
    enrol(program, household, "active")
    entitlement = Entitlement.objects.get(cycle=_generate(cast, program))
    assert entitlement.amount == KJP["per_child_sma"] + KJP["per_child_private"]
    assert [b["code"] for b in entitlement.breakdown] == ["per_child_private", "per_child_sma"]
