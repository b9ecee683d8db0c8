"""``cash_cycle``: one cash cycle of N households from generation to reconciliation.

N counts households (default 100,000). Not timed: a registry of N households (demo seed fast
path); a dinsos officer (the maker) and two kelurahan admins (one sets up, the other approves);
a running household cash program (Rp 300.000 a month, 3 months committed per participant) with its
funding through the programs services; Bank DKI as paying institution and a flat monthly scheme
through the cash services; then N active enrollments with their commitment and N Bank DKI
accounts written directly (bulk inserts, with the program's budget figures and ledger moved to
match: setting up is not what is measured), and ``ANALYZE``.

Timed, as the pages' buttons run them:
- ``generate_s``: ``cycle_create`` + ``cycle_generate`` (the frozen list of N entitlements);
- ``approve_s``: ``cycle_approve`` by the second admin (budget check per entitlement);
- ``batch_s``: ``batch_create`` (N payments with references, entitlements marked sent);
- ``file_s``: the CSV payment file written to a temporary file, as the download view does it
  (``selectors_payments.payment_file_lines`` into ``files.payment_csv``, plus the audited
  download record);
- ``reconcile_s``: ``result_upload`` of the bank's result file (built untimed from the payments,
  2% failed, the rest paid).
``total_s`` is their sum. ``xlsx_s`` (the same file as XLSX) is measured on its own, not in the
total. Counts: ``paid``, ``failed``, ``paid_amount`` (from the upload), ``problems`` (must be 0),
``entitlements``, file sizes ``csv_mb`` and ``xlsx_mb``, and ``cpu_s``: this process's CPU time in
the timed steps (on a busy machine, SQLite's figure closest to an idle machine's wall time; on
PostgreSQL it leaves out the server's share). ``BENCH_PROFILE=1`` prints the top of a cProfile of each timed step on stderr, ``BENCH_PROFILE=sql``
the SQL statements that took the most wall time in each.
"""

from __future__ import annotations

import contextlib
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import sys
import tempfile
import time

from bench.common import StatementTimes, progress_printer, result_line, scratch_database

SEED = 2026
MONTHLY = 300_000
PERIODS = 3
FAILED_SHARE = 0.02
PERIOD = dt.date(2026, 3, 1)
CPU: dict[str, float] = {}  # process CPU seconds per timed step (SQLite: nearly all the work; PostgreSQL: the client's)
BANK_COLUMNS = [{"key": "reference", "header": "NO_REF"}, {"key": "nik", "header": "NIK"},
                {"key": "name", "header": "NAMA_PENERIMA"}, {"key": "account_number", "header": "NO_REKENING"},
                {"key": "amount", "header": "NOMINAL"}]


def _users():
    from bansos.accounts.models import Agency, User
    from bansos.demo.services import demo_agencies_create

    agency = demo_agencies_create()[0]
    assert isinstance(agency, Agency)
    admin = User.objects.create_user(username="bench-admin", password=None, role="admin", first_name="Bench")
    checker = User.objects.create_user(username="bench-checker", password=None, role="admin", first_name="Checker")
    officer = User.objects.create_user(username="bench-officer", password=None, role="officer", agency=agency,
                                       first_name="Officer")
    return admin, checker, officer, agency


def prepare(size: int) -> dict:
    """Registry, users, program with budget, scheme, N active enrollments and accounts (not timed)."""
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone

    from bansos.cash.models import PayeeAccount
    from bansos.cash.services.setup import institution_create, scheme_set
    from bansos.demo.services import _FastInsert, _reset_sequences, demo_seed
    from bansos.programs.models import BudgetMovement, Enrollment, MovementKind, Program
    from bansos.programs.services.funding import funding_allocate, funding_source_create
    from bansos.programs.services.programs import program_create, program_status_set
    from bansos.registry.models import Relation, Resident

    print(f"bench: loading {size:,} households")
    demo_seed(households=size, seed=SEED, progress=progress_printer("keluarga"))
    sys.stderr.write("\n")
    admin, checker, officer, agency = _users()
    commitment = MONTHLY * PERIODS
    program = program_create(actor=admin, data={
        "name": "BLT Kelurahan (bench)", "kind": "cash", "agency": agency, "description": "Bantuan tunai.",
        "target_groups": ["poor"], "participant": "household", "benefit_kind": "money",
        "benefit_description": "Rp 300.000 per bulan", "benefit_amount": MONTHLY, "benefit_periods": PERIODS,
        "start_date": dt.date(2026, 1, 1), "end_date": dt.date(2026, 12, 31), "capacity": None,
    })
    budget = size * commitment
    source = funding_source_create(actor=admin, data={
        "name": "APBN (bench)", "kind": "apbn", "agency": None, "shared": True, "fiscal_year": 2026,
        "amount": budget})
    funding_allocate(actor=admin, source=source, program=program, amount=budget)
    program_status_set(actor=admin, program=program, status="open")
    program_status_set(actor=admin, program=program, status="running")
    bank = institution_create(actor=admin, data={"name": "Bank DKI", "kind": "bank", "columns": BANK_COLUMNS,
                                                 "csv_delimiter": ";"})
    scheme_set(actor=officer, program=program, data={"frequency": "monthly", "amount_rule": "flat",
                                                     "flat_amount": MONTHLY, "institution": bank})
    heads = dict(Resident.objects.filter(relation=Relation.HEAD, status="active", household__status="active")
                 .order_by("household_id").values_list("household_id", "full_name"))
    household_ids = sorted(heads)[:size]
    now = timezone.now()
    rng = random.Random(SEED)
    with transaction.atomic():
        enrollments = _FastInsert(Enrollment, connection, now)
        rows = [enrollments.row({"id": i, "program_id": program.pk, "household_id": hid, "state": "active",
                                 "channel": "rule_run", "committed_amount": commitment, "applied_at": now,
                                 "verified_at": now, "decided_at": now, "started_at": now, "updated_at": now})
                for i, hid in enumerate(household_ids, start=1)]
        for start in range(0, len(rows), 5000):
            enrollments.execute(rows[start:start + 5000])
        _reset_sequences(connection, [Enrollment])
        # What enrollment_bulk_approve would have left: the commitment on the program and in its ledger.
        Program.objects.filter(pk=program.pk).update(budget_committed=F("budget_committed") + budget,
                                                     seats_taken=F("seats_taken") + len(rows))
        BudgetMovement.objects.create(program=program, kind=MovementKind.COMMIT, amount=budget,
                                      participants=len(rows), actor=admin, note="bench set-up")
        accounts = _FastInsert(PayeeAccount, connection, now)
        rows = [accounts.row({"id": i, "household_id": hid, "institution_id": bank.pk,
                              "account_number": f"10401{rng.randrange(10**7):07d}",
                              "account_name": heads[hid].upper()[:120], "updated_at": now})
                for i, hid in enumerate(household_ids, start=1)]
        for start in range(0, len(rows), 5000):
            accounts.execute(rows[start:start + 5000])
        _reset_sequences(connection, [PayeeAccount])
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum (PostgreSQL) or a maintenance run (SQLite) would leave them.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    program.refresh_from_db()
    print(f"bench: {len(household_ids):,} active enrollments with Bank DKI accounts")
    return {"admin": admin, "checker": checker, "officer": officer, "program": program, "bank": bank,
            "enrolled": len(household_ids)}


@contextlib.contextmanager
def _also_timed(statements: StatementTimes, connection):
    """Time what the execute wrapper does not see: bulk inserts (COPY on PostgreSQL) and COMMIT
    (where PostgreSQL checks the deferred foreign keys of every inserted row)."""
    from bansos.registry.importing.bulk import Inserter

    def timing(key, fn):
        def wrapped(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                entry = statements.times.setdefault(key, [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - started
        return wrapped

    original_insert, original_commit = Inserter.insert, connection.commit

    def insert(self, rows):
        return timing(f"[Inserter.insert into {self.sql.split()[2]}]", original_insert)(self, rows)

    Inserter.insert = insert
    connection.commit = timing("[COMMIT]", original_commit)
    try:
        yield
    finally:
        Inserter.insert = original_insert
        del connection.commit


def _timed(label: str, fn):
    """Run ``fn`` and return (result, seconds).

    BENCH_PROFILE=1 prints the top of a cProfile of each step on stderr; BENCH_PROFILE=sql the
    statements that took the most wall time (client and server together).
    """
    from django.db import connection

    mode = os.environ.get("BENCH_PROFILE", "")
    profile = cProfile.Profile() if mode == "1" else None
    statements = StatementTimes() if mode == "sql" else None
    cpu = time.process_time()
    started = time.perf_counter()
    if profile is not None:
        profile.enable()
    if statements is not None:
        with connection.execute_wrapper(statements), _also_timed(statements, connection):
            result = fn()
    else:
        result = fn()
    if profile is not None:
        profile.disable()
    seconds = time.perf_counter() - started
    if statements is not None:
        sys.stderr.write(statements.report(label))
    cpu = time.process_time() - cpu
    print(f"bench: {label} {seconds:.2f} s (this process's CPU {cpu:.2f} s)")
    if profile is not None:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        sys.stderr.write(f"--- profile of {label} ---\n{out.getvalue()}")
        sys.stderr.flush()
    CPU[label] = cpu
    return result, seconds


def _write_csv(officer, batch, path: str) -> int:
    from bansos.cash import selectors_payments
    from bansos.cash.files import payment_csv
    from bansos.cash.services.files import batch_download_record

    institution = batch.institution
    written = 0
    with open(path, "wb") as out:
        for chunk in payment_csv(selectors_payments.payment_file_lines(batch), institution.columns,
                                 delimiter=institution.csv_delimiter):
            out.write(chunk)
            written += len(chunk)
    batch_download_record(actor=officer, batch=batch, file_format="csv")
    return written


def _write_xlsx(batch, path: str) -> None:
    from bansos.cash import selectors_payments
    from bansos.cash.files import payment_xlsx

    with open(path, "wb") as out:
        payment_xlsx(selectors_payments.payment_file_lines(batch), batch.institution.columns, out,
                     sheet_title=batch.cycle.label)


def result_file(batch) -> bytes:
    """The bank's answer: every line of the batch, 2% failed (drawn with the fixed seed), the rest paid."""
    from bansos.cash.models import Payment

    rng = random.Random(SEED)
    lines = ["NO_REF;STATUS;ALASAN;TGL_BAYAR;NOMINAL"]
    for reference, amount in Payment.objects.filter(batch=batch).order_by("pk").values_list(
            "reference", "amount").iterator(chunk_size=5000):
        if rng.random() < FAILED_SHARE:
            lines.append(f"{reference};GAGAL;Rekening pasif (dormant);;{amount}")
        else:
            lines.append(f"{reference};BERHASIL;;05/03/2026;{amount}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def run(size: int) -> str:
    with scratch_database() as scratch:
        from bansos.cash.services.cycles import cycle_approve, cycle_create, cycle_generate
        from bansos.cash.services.payments import batch_create
        from bansos.cash.services.reconcile import result_upload

        ready = prepare(size)
        officer, checker, program = ready["officer"], ready["checker"], ready["program"]

        def generate():
            cycle = cycle_create(actor=officer, program=program, period_start=PERIOD)
            return cycle_generate(actor=officer, cycle=cycle)

        cycle, generate_s = _timed("generate", generate)
        cycle, approve_s = _timed("approve", lambda: cycle_approve(actor=checker, cycle=cycle))
        sent, batch_s = _timed("batch", lambda: batch_create(actor=officer, cycle=cycle))
        batch = sent.batch
        with tempfile.TemporaryDirectory(prefix="bansos-cash-bench-") as folder:
            csv_path, xlsx_path = os.path.join(folder, "pembayaran.csv"), os.path.join(folder, "pembayaran.xlsx")
            csv_bytes, file_s = _timed("csv file", lambda: _write_csv(officer, batch, csv_path))
            _none, xlsx_s = _timed("xlsx file (not in total)", lambda: _write_xlsx(batch, xlsx_path))
            xlsx_bytes = os.path.getsize(xlsx_path)
        data = result_file(batch)
        upload, reconcile_s = _timed("reconcile", lambda: result_upload(
            actor=officer, cycle=cycle, fileobj=io.BytesIO(data), file_name="hasil_bankdki.csv"))
        cycle.refresh_from_db()
        assert cycle.planned_count == batch.line_count == ready["enrolled"], (cycle.planned_count, batch.line_count)
        assert upload.paid_count + upload.failed_count == batch.line_count and upload.problem_count == 0
        assert cycle.paid_amount == upload.paid_amount
        return result_line(
            "cash_cycle", db=scratch.db, size=size,
            total_s=generate_s + approve_s + batch_s + file_s + reconcile_s,
            cpu_s=sum(v for k, v in CPU.items() if not k.startswith("xlsx")),
            generate_s=generate_s, approve_s=approve_s, batch_s=batch_s, file_s=file_s, reconcile_s=reconcile_s,
            xlsx_s=xlsx_s, paid=upload.paid_count, failed=upload.failed_count, paid_amount=upload.paid_amount,
            problems=upload.problem_count, entitlements=cycle.planned_count, csv_mb=csv_bytes / 2**20,
            xlsx_mb=xlsx_bytes / 2**20,
        )
