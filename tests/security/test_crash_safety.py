"""Crash safety: a process killed with SIGKILL in the middle of a job leaves no partial result.

Each test runs the platform's real code in separate processes (``tests/security/crash_driver.py``)
on a scratch database of the suite's kind (SQLite file, or a fresh PostgreSQL database when
``DATABASE_URL`` names one), kills the process at a chosen SQL statement inside the job's
transaction, checks the database (counts and sums), then restarts the worker (or repeats the action)
and checks that the job resumed and completed exactly once.

- import: the worker dies while writing the second chunk of a 30,000-row households file;
- eligibility run: the worker dies while storing the run's list;
- payment batch: the officer's process dies just before the batch's transaction commits;
- reconciliation: the process dies while applying the bank's result file, just before commit.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and process groups are POSIX")

HOUSEHOLDS = 3000  # registry and cash program size: a batch of 3,000 payments
IMPORT_HOUSEHOLDS = 14000  # generated file; ~30,000 rows once households the registry has are left out


class Scratch:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.setup: dict = {}

    def run(self, *args: str, kill_after: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "tests.security.crash_driver", *args]
        if kill_after:
            command += ["--kill-after", kill_after]
        # A process group of its own, so the SIGKILL reaches its children (the import's parser) too.
        return subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout,
                              start_new_session=True)

    def json(self, *args: str, **kwargs) -> dict:
        done = self.run(*args, **kwargs)
        assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stderr[-3000:]}"
        return json.loads(done.stdout.strip().splitlines()[-1])

    def killed(self, *args: str, kill_after: str) -> None:
        if args[0] == "worker":  # a worker that never reaches the point stops when idle instead of hanging
            args = (*args, "--batch-only")
        done = self.run(*args, kill_after=kill_after)
        assert done.returncode == -signal.SIGKILL, (
            f"{args} was meant to die at {kill_after!r} but ended with {done.returncode}:\n{done.stderr[-3000:]}")

    def worker_until_idle(self) -> str:
        """The real worker, as after a restart: it recovers abandoned tasks, runs what is queued, then stops."""
        done = self.run("worker", "--batch-only")
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout + done.stderr


def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("crash")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(BANSOS_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="bansos.settings", BANSOS_ENV="development",
               DEBUG="false", TASKS_BACKEND="django_tasks_db.DatabaseBackend", LOG_LEVEL="WARNING")
    url = os.environ.get("DATABASE_URL", "").strip()
    name = None
    if url.startswith(("postgres://", "postgresql://")):
        name = f"crash_{secrets.token_hex(5)}"
        with _pg_admin(url) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    else:
        env.pop("DATABASE_URL", None)
    s = Scratch(env)
    try:
        s.setup = s.json("setup", "--households", str(HOUSEHOLDS), "--import-households", str(IMPORT_HOUSEHOLDS))
        yield s
    finally:
        if name:
            with _pg_admin(url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _is_pg(s: Scratch) -> bool:
    return "DATABASE_URL" in s.env


def test_an_import_killed_mid_chunk_keeps_whole_households_and_resumes(scratch):
    csv = scratch.setup["csv"]
    assert scratch.setup["csv_rows"] > 20_000, "the file must span more than one chunk of the import"
    job = scratch.json("import-start", "--csv", csv)["job"]
    # SQLite: while the second chunk's residents are being inserted (its households are in already).
    # PostgreSQL copies rows (COPY passes no statement to catch): at the second chunk's id reservation,
    # the first statement of its transaction.
    point = 'nextval\\(pg_get_serial_sequence:2' if _is_pg(scratch) else 'INSERT INTO "registry_resident":2'
    scratch.killed("worker", kill_after=point)

    after_kill = scratch.json("import-check", "--csv", csv, "--job", str(job))
    assert after_kill["status"] == "running"  # what the dead worker left
    assert after_kill["partial"] == 0, after_kill["partial_sample"]  # no household without all its members
    assert 0 < after_kill["stored_households"] < after_kill["file_households"]  # the first chunk only
    assert after_kill["stored_residents"] == after_kill["rows_done"]

    log = scratch.worker_until_idle()
    assert "import_job_run: resumed" in log

    done = scratch.json("import-check", "--csv", csv, "--job", str(job))
    assert done["status"] == "done", done
    assert done["partial"] == 0
    assert done["stored_households"] == done["file_households"]
    assert done["stored_residents"] == done["file_rows"]


def test_an_eligibility_run_killed_while_storing_resumes_without_duplicates(scratch):
    run = scratch.json("rule-start", "--rule", str(scratch.setup["rule"]))["run"]
    point = 'INSERT INTO "eligibility_rulerunmember":1'
    scratch.killed("worker", kill_after=point)
    after_kill = scratch.json("rule-check", "--run", str(run))
    assert after_kill["status"] == "running" and after_kill["members"] == 0

    assert "rule_run_task: resumed" in scratch.worker_until_idle()
    done = scratch.json("rule-check", "--run", str(run))
    assert done["status"] == "done"
    assert done["expected"] > 0
    assert done["members"] == done["stored"] == done["expected"]
    assert done["duplicates"] == 0


def test_a_payment_batch_killed_before_commit_leaves_nothing_and_runs_once_again(scratch):
    program = str(scratch.setup["program"])
    entitlements = scratch.json("cycle-approve", "--program", program)["entitlements"]
    assert entitlements == HOUSEHOLDS

    scratch.killed("batch", "--program", program, kill_after='UPDATE "cash_cycle" SET "state":1')
    state = scratch.json("cash-check", "--program", program)
    assert state["batches"] == 0 and state["payments"] == 0
    assert state["entitlement_states"] == {"due": entitlements}

    scratch.json("batch", "--program", program)
    state = scratch.json("cash-check", "--program", program)
    assert state["batches"] == 1 and state["payments"] == entitlements
    assert state["payment_states"] == {"sent": entitlements}


def test_a_reconciliation_killed_before_commit_applies_nothing_then_everything_once(scratch):
    program = str(scratch.setup["program"])
    before = scratch.json("cash-check", "--program", program)
    if before["payments"] == 0:  # run on its own (-k): approve and send the cycle first
        if before["entitlements"] == 0:
            scratch.json("cycle-approve", "--program", program)
        scratch.json("batch", "--program", program)
        before = scratch.json("cash-check", "--program", program)
    assert before["payment_states"] == {"sent": HOUSEHOLDS}

    scratch.killed("reconcile", "--program", program, kill_after='UPDATE "cash_resultupload" SET "paid_count":1')
    state = scratch.json("cash-check", "--program", program)
    assert state["uploads"] == 0 and state["paid_sum"] == 0 and state["budget_disbursed"] == 0
    assert state["payment_states"] == {"sent": HOUSEHOLDS}

    result = scratch.json("reconcile", "--program", program)
    assert result["problems"] == 0 and result["paid"] + result["failed"] == HOUSEHOLDS
    state = scratch.json("cash-check", "--program", program)
    assert state["uploads"] == 1
    assert state["payment_states"] == {"paid": result["paid"], "failed": result["failed"]}
    assert state["paid_sum"] == state["budget_disbursed"] == state["cycle_paid_amount"] > 0
