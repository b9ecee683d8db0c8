"""``enroll``: bulk enrollment of N eligible households into one program, approved within its budget.

N counts the eligible households to enrol (default 100,000). Not timed: a registry of 2.5 x N
households (demo seed fast path) scored and ranked by ``welfare_rescore_all``, so that the rule
"welfare decile 1-4" (a BLT-style cash rule) finds N of them; the rule made with
``rule_create`` and run with ``rule_run_start`` + ``rule_run_execute`` (a real DONE run holding its
households); a funding source and a cash program for households (Rp 300.000 x 3 months) with the
rule, open, and a budget for 80% of N; a kelurahan policy that warns on two cash programs at once.

Timed, as an officer's three clicks on the bulk page would run them (the task worker calls the same
functions): ``enrollment_bulk_apply`` (``apply_s``), ``enrollment_bulk_verify`` (``verify_s``),
``enrollment_bulk_approve`` (``approve_s``, poorest first until the budget is used). Keys:
``total_s`` (the three), ``approved`` (= 80% of N), ``applied``, ``verified``, ``eligible``,
``households``, ``audit_events`` (one per enrollment and step).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import time

from bench.common import progress_printer, result_line, scratch_database

SEED = 2026
SHARE_FUNDED = 0.8
BENEFIT, PERIODS = 300_000, 3


def _admin():
    from bansos.accounts.models import User

    return User.objects.create_user(username="bench-admin", password=None, role="admin", first_name="Bench")


def prepare(size: int) -> dict:
    """Registry, scores, rule and run, program and budget (nothing here is timed)."""
    from bansos.demo.services import demo_agencies_create, demo_seed
    from bansos.eligibility.models import RuleRun
    from bansos.eligibility.services import rule_create, rule_run_execute, rule_run_start
    from bansos.programs.services.funding import funding_allocate, funding_source_create
    from bansos.programs.services.overlap import overlap_policy_create
    from bansos.programs.services.programs import program_create, program_status_set
    from bansos.welfare.services import welfare_rescore_all

    households = math.ceil(size * 10 / 4)
    print(f"bench: loading {households:,} households so that deciles 1-4 hold {size:,}")
    demo_seed(households=households, seed=SEED, progress=progress_printer("keluarga"))
    sys.stderr.write("\n")
    welfare_rescore_all(actor=None, progress=progress_printer("skor"))
    sys.stderr.write("\n")
    admin = _admin()
    agencies = demo_agencies_create()
    rule = rule_create(actor=admin, name="BLT keluarga desil 1-4", agency=agencies[0], expression={
        "all": [{"p": "welfare_decile", "op": "between", "value": [1, 4]}]})
    run = rule_run_start(actor=admin, rule=rule)
    rule_run_execute(run.pk)  # what the worker does with the queued task
    run = RuleRun.objects.get(pk=run.pk)
    print(f"bench: rule run #{run.pk} {run.status}, {run.eligible_count:,} households")
    program = program_create(actor=admin, data={
        "name": "BLT Kelurahan (bench)", "kind": "cash", "agency": agencies[0], "rule": rule,
        "description": "Bantuan tunai untuk keluarga desil 1-4.", "target_groups": ["poor"],
        "participant": "household", "benefit_kind": "money", "benefit_description": "Rp 300.000 per bulan",
        "benefit_amount": BENEFIT, "benefit_periods": PERIODS,
        "start_date": dt.date(2026, 1, 1), "end_date": dt.date(2026, 12, 31), "capacity": None,
    })
    budget = int(size * SHARE_FUNDED) * BENEFIT * PERIODS
    source = funding_source_create(actor=admin, data={
        "name": "APBD DKI (bench)", "kind": "apbd", "agency": None, "shared": True, "fiscal_year": 2026,
        "amount": budget,
    })
    funding_allocate(actor=admin, source=source, program=program, amount=budget)
    program_status_set(actor=admin, program=program, status="open")
    overlap_policy_create(actor=admin, data={"kind_a": "cash", "kind_b": "cash", "effect": "warn",
                                             "same_period": True, "note": "Dua bantuan tunai sekaligus"})
    _analyze()
    program.refresh_from_db()
    return {"admin": admin, "program": program, "run": run, "households": households}


def _analyze() -> None:
    # Fresh statistics, as autovacuum (PostgreSQL) or a maintenance run (SQLite) would leave them.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run(size: int) -> str:
    with scratch_database() as scratch:
        from bansos.core.models import AuditEvent
        from bansos.programs.models import Enrollment, EnrollmentState
        from bansos.programs.services import bulk

        ready = prepare(size)
        admin, program, rule_run = ready["admin"], ready["program"], ready["run"]
        audit_before = AuditEvent.objects.count()

        started = time.perf_counter()
        applied = bulk.enrollment_bulk_apply(actor=admin, program=program, run=rule_run)
        apply_s = time.perf_counter() - started
        print(f"bench: applied {applied.done:,} in {apply_s:.2f} s")

        started = time.perf_counter()
        verified = bulk.enrollment_bulk_verify(actor=admin, program=program,
                                               note="Dicocokkan dengan registri dan hasil musyawarah RW")
        verify_s = time.perf_counter() - started
        print(f"bench: verified {verified.done:,} in {verify_s:.2f} s")

        started = time.perf_counter()
        approved = bulk.enrollment_bulk_approve(actor=admin, program=program)
        approve_s = time.perf_counter() - started
        print(f"bench: approved {approved.done:,} in {approve_s:.2f} s (skipped: {approved.skipped})")

        program.refresh_from_db()
        in_state = Enrollment.objects.filter(program=program, state=EnrollmentState.APPROVED).count()
        assert in_state == approved.done == program.seats_taken, (in_state, approved.done, program.seats_taken)
        return result_line(
            "enroll", db=scratch.db, size=size, total_s=apply_s + verify_s + approve_s, approved=approved.done,
            apply_s=apply_s, verify_s=verify_s, approve_s=approve_s, applied=applied.done, verified=verified.done,
            eligible=rule_run.eligible_count, households=ready["households"],
            audit_events=AuditEvent.objects.count() - audit_before,
        )
