"""The processes of the crash-safety tests: ``python -m tests.security.crash_driver COMMAND ...``.

Each command sets Django up on the scratch database the environment names (``DATABASE_URL`` /
``BANSOS_DATA_DIR``, production settings, the database task backend), does one thing and prints one
JSON line. ``--kill-after REGEX:N`` makes the process SIGKILL itself (its whole process group) just
before the N-th SQL statement matching REGEX: a real death in the middle of a transaction, at a
point the test chooses, with the platform's code unchanged.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import signal
import sys
from collections import Counter
from pathlib import Path

CASH_HOUSEHOLDS_DEFAULT = 4000


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bansos.settings")
    import django

    django.setup()


def _wrap_every_connection(wrapper) -> None:
    """Run ``wrapper`` around every SQL statement of this process, also on a writer thread's own connection."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    def attach(sender, connection, **kwargs):
        if wrapper not in connection.execute_wrappers:
            connection.execute_wrappers.append(wrapper)

    connection_created.connect(attach, weak=False)
    if connection.connection is not None:
        attach(None, connection)


def _install_killer(spec: str | None) -> None:
    if not spec:
        return
    pattern, _, count = spec.rpartition(":")
    regex, limit, seen = re.compile(pattern, re.IGNORECASE), int(count), [0]

    def killer(execute, sql, params, many, context):
        if regex.search(sql):
            seen[0] += 1
            if seen[0] >= limit:
                sys.stdout.flush()
                os.killpg(os.getpgid(0), signal.SIGKILL)
        return execute(sql, params, many, context)

    _wrap_every_connection(killer)


def _admin():
    from bansos.accounts.models import User

    return User.objects.get(username="bench-admin")


def cmd_setup(args) -> dict:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from bench.cash_cycle import prepare
    from bansos.core.models import RT
    from bansos.demo.generator import write_households_csv
    from bansos.eligibility.bench import BENCH_RULES
    from bansos.eligibility.services import rule_create, rule_status_set

    from bansos.welfare.services import welfare_rescore_all

    ready = prepare(args.households)
    admin = ready["admin"]
    welfare_rescore_all(actor=None)  # the rule selects by welfare decile
    rule = rule_create(actor=admin, name="Uji ketahanan", expression=BENCH_RULES[0][1])
    rule_status_set(actor=admin, rule=rule, status="active")
    areas = list(RT.objects.order_by("rw__number", "number").values_list("rw__number", "number"))
    raw = Path(os.environ["BANSOS_DATA_DIR"]) / "impor-mentah.csv"
    write_households_csv(raw, households=args.import_households, seed=4242, areas=areas)
    csv_path = Path(os.environ["BANSOS_DATA_DIR"]) / "impor-uji.csv"
    rows = _new_households_only(raw, csv_path)
    return {"program": ready["program"].pk, "rule": rule.pk, "csv": str(csv_path), "csv_rows": rows}


def _new_households_only(source: Path, target: Path) -> int:
    """The generated file without the households whose KK or any member's NIK the registry has already,
    so every row of the file is a new household's and a complete import stores all of them."""
    import csv

    from bansos.registry.models import Household, Resident

    with open(source, encoding="utf-8-sig", newline="") as handle:
        delimiter = ";" if ";" in handle.readline() else ","
        handle.seek(0)
        rows = list(csv.reader(handle, delimiter=delimiter))
    header, body = rows[0], rows[1:]
    kk, nik = header.index("no_kk"), header.index("nik")
    known_kk = set(Household.objects.values_list("kk_number", flat=True))
    known_nik = set(Resident.objects.values_list("nik", flat=True))
    clash = {row[kk] for row in body if row[kk] in known_kk or row[nik] in known_nik}
    kept = [row for row in body if row[kk] not in clash]
    with open(target, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows([header, *kept])
    return len(kept)


def cmd_import_start(args) -> dict:
    from django.core.files import File

    from bansos.registry.importing.jobs import import_job_create

    with open(args.csv, "rb") as handle:
        job = import_job_create(actor=_admin(), upload=File(handle, name="impor-uji.csv"), dry_run=False)
    return {"job": job.pk}


def cmd_import_check(args) -> dict:
    """Households of the file in the database, and those whose members are not all there (partial)."""
    import csv

    from django.db.models import Count, Q

    from bansos.registry.models import Household, ImportJob

    with open(args.csv, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";" if ";" in handle.readline() else ",")
        handle.seek(0)
        header = next(reader)
        kk_column = header.index("no_kk")
        members = Counter(row[kk_column].strip().lstrip("'") for row in reader if row)
    stored = dict(Household.objects.filter(kk_number__in=list(members))
                  .annotate(n=Count("residents", filter=Q(residents__status="active"))).values_list("kk_number", "n"))
    partial = sorted(kk for kk, n in stored.items() if n != members[kk])
    job = ImportJob.objects.get(pk=args.job)
    return {"file_households": len(members), "file_rows": sum(members.values()), "stored_households": len(stored),
            "stored_residents": sum(stored.values()), "partial": len(partial), "partial_sample": partial[:5],
            "status": job.status, "error": job.error, "rows_done": job.rows_done}


def cmd_rule_start(args) -> dict:
    from bansos.eligibility.models import EligibilityRule
    from bansos.eligibility.services import rule_run_start

    run = rule_run_start(actor=_admin(), rule=EligibilityRule.objects.get(pk=args.rule))
    return {"run": run.pk}


def cmd_rule_check(args) -> dict:
    from django.db.models import Count

    from bansos.eligibility import engine
    from bansos.eligibility.models import RuleRun, RuleRunMember

    run = RuleRun.objects.select_related("version").get(pk=args.run)
    members = RuleRunMember.objects.filter(run=run)
    expected = engine.eligible_households(run.version.expression, run.reference_date).count()
    duplicates = members.values("household_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    return {"status": run.status, "members": members.count(), "stored": run.stored, "expected": expected,
            "duplicates": duplicates}


def _cycle(program_id: int):
    from bansos.cash.models import Cycle

    return Cycle.objects.filter(program_id=program_id).order_by("-pk").first()


def cmd_cycle_approve(args) -> dict:
    import datetime as dt

    from bansos.accounts.models import User
    from bansos.cash.services.cycles import cycle_approve, cycle_create, cycle_generate
    from bansos.programs.models import Program

    program = Program.objects.get(pk=args.program)
    officer, checker = User.objects.get(username="bench-officer"), User.objects.get(username="bench-checker")
    cycle = cycle_generate(actor=officer, cycle=cycle_create(actor=officer, program=program,
                                                             period_start=dt.date(2026, 3, 1)))
    cycle = cycle_approve(actor=checker, cycle=cycle)
    return {"cycle": cycle.pk, "entitlements": cycle.planned_count}


def cmd_batch(args) -> dict:
    from bansos.accounts.models import User
    from bansos.cash.services.payments import batch_create

    result = batch_create(actor=User.objects.get(username="bench-officer"), cycle=_cycle(args.program))
    return {"batch": result.batch.pk}


def cmd_cash_check(args) -> dict:
    from django.db.models import Count, Sum

    from bansos.cash.models import Batch, Entitlement, Payment, ResultUpload
    from bansos.programs.models import Program

    cycle = _cycle(args.program)
    program = Program.objects.get(pk=args.program)
    payments = Payment.objects.filter(entitlement__cycle=cycle)
    return {
        "entitlements": Entitlement.objects.filter(cycle=cycle).count(),
        "entitlement_states": dict(Entitlement.objects.filter(cycle=cycle).values_list("state")
                                   .annotate(n=Count("pk")).values_list("state", "n")),
        "batches": Batch.objects.filter(cycle=cycle).count(),
        "payments": payments.count(),
        "payment_states": dict(payments.values_list("status").annotate(n=Count("pk")).values_list("status", "n")),
        "paid_sum": payments.filter(status="paid").aggregate(s=Sum("amount"))["s"] or 0,
        "uploads": ResultUpload.objects.filter(cycle=cycle).count(),
        "budget_disbursed": program.budget_disbursed,
        "cycle_paid_amount": getattr(cycle, "paid_amount", None),
    }


def cmd_reconcile(args) -> dict:
    from bench.cash_cycle import result_file

    from bansos.accounts.models import User
    from bansos.cash.models import Batch
    from bansos.cash.services.reconcile import result_upload

    cycle = _cycle(args.program)
    data = result_file(Batch.objects.filter(cycle=cycle).order_by("-pk").first())
    upload = result_upload(actor=User.objects.get(username="bench-officer"), cycle=cycle,
                           fileobj=io.BytesIO(data), file_name="hasil_bank.csv")
    return {"paid": upload.paid_count, "failed": upload.failed_count, "problems": upload.problem_count}


def cmd_sql_log(args) -> None:
    """Print every SQL statement's first 100 characters while running ``args.then`` (to choose kill points)."""

    def log(execute, sql, params, many, context):
        print(("MANY " if many else "") + " ".join(sql.split())[:100], file=sys.stderr, flush=True)
        return execute(sql, params, many, context)

    _wrap_every_connection(log)
    return COMMANDS[args.then](args)


def cmd_worker(args) -> None:
    from django.core.management import call_command

    options = ["--batch"] if args.batch_only else []
    call_command("worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", *options, verbosity=0)


COMMANDS = {
    "setup": cmd_setup, "import-start": cmd_import_start, "import-check": cmd_import_check,
    "rule-start": cmd_rule_start, "rule-check": cmd_rule_check, "cycle-approve": cmd_cycle_approve,
    "batch": cmd_batch, "cash-check": cmd_cash_check, "reconcile": cmd_reconcile, "worker": cmd_worker,
    "sql-log": cmd_sql_log,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crash_driver")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--kill-after", default=None, help="REGEX:N  SIGKILL before the N-th matching statement")
    parser.add_argument("--households", type=int, default=CASH_HOUSEHOLDS_DEFAULT)
    parser.add_argument("--import-households", type=int, default=14000)
    parser.add_argument("--csv")
    parser.add_argument("--job", type=int)
    parser.add_argument("--rule", type=int)
    parser.add_argument("--run", type=int)
    parser.add_argument("--program", type=int)
    parser.add_argument("--then", help="sql-log: the command to run while logging")
    parser.add_argument("--batch-only", action="store_true", help="worker: stop when no task is left")
    args = parser.parse_args(argv)
    _django()
    _install_killer(args.kill_after)
    result = COMMANDS[args.command](args)
    if result is not None:
        print(json.dumps(result, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
