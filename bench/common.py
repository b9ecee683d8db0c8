"""What every benchmark shares: a scratch database, Django set up against it, and the RESULT line.

A benchmark never touches the configured database: with no DATABASE_URL it runs on SQLite in a
temporary directory; with a PostgreSQL DATABASE_URL it creates ``bench_<random>`` on that
server, uses it, and drops it at the end, also when the run fails or is interrupted.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit


@dataclass
class Scratch:
    db: str  # "sqlite" or "postgresql"
    data_dir: str
    env: dict[str, str] = field(default_factory=dict)  # the environment a subprocess needs


def _raise_on_sigterm(signum, frame):  # noqa: ARG001
    raise SystemExit(128 + signum)


def _pg_admin_connect(url: str):
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True)


def _pg_create(url: str) -> tuple[str, str]:
    name = f"bench_{secrets.token_hex(6)}"
    with _pg_admin_connect(url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    scratch_url = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    return name, scratch_url


def _pg_drop(url: str, name: str) -> None:
    with _pg_admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def scratch_database(*, log=print) -> Iterator[Scratch]:
    """Set up Django on a fresh, migrated scratch database; remove it afterwards."""
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    data_dir = tempfile.mkdtemp(prefix="bansos-bench-")
    original_url = os.environ.get("DATABASE_URL", "").strip()
    pg_name = None
    try:
        os.environ["BANSOS_DATA_DIR"] = data_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "bansos.settings"
        os.environ["BANSOS_ENV"] = "development"
        os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        if original_url:
            if not original_url.startswith(("postgres://", "postgresql://")):
                raise SystemExit("bench: DATABASE_URL must name a PostgreSQL server (or be unset for SQLite)")
            pg_name, scratch_url = _pg_create(original_url)
            os.environ["DATABASE_URL"] = scratch_url
            db = "postgresql"
            log(f"bench: scratch database {pg_name} on {urlsplit(original_url).hostname}")
        else:
            os.environ.pop("DATABASE_URL", None)
            db = "sqlite"
            log(f"bench: scratch SQLite in {data_dir}")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        env = {k: v for k, v in os.environ.items()}
        yield Scratch(db=db, data_dir=data_dir, env=env)
    finally:
        if "django" in sys.modules:
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
        if pg_name:
            try:
                _pg_drop(original_url, pg_name)
                log(f"bench: dropped {pg_name}")
            except Exception as exc:  # noqa: BLE001 - say what is left behind, then go on
                log(f"bench: could not drop scratch database {pg_name}: {exc}")
        shutil.rmtree(data_dir, ignore_errors=True)
        if original_url:
            os.environ["DATABASE_URL"] = original_url


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024


def result_line(name: str, *, db: str, size: int, **keys) -> str:
    def fmt(value) -> str:
        if isinstance(value, float):
            return f"{value:.3f}" if value < 100 else f"{value:.1f}"
        return str(value)

    return " ".join([f"RESULT {name} db={db} size={size}", *(f"{k}={fmt(v)}" for k, v in keys.items())])


def progress_printer(label: str):
    """A progress callback that rewrites one line on stderr."""

    def show(done: int, total: int | None) -> None:
        if total:
            sys.stderr.write(f"\r  {label}: {done:,}/{total:,} ({done * 100 // total}%)")
        else:
            sys.stderr.write(f"\r  {label}: {done:,}")
        sys.stderr.flush()

    return show


class StatementTimes:
    """Wall time per SQL statement shape (client and server together), for ``BENCH_PROFILE=sql``.

    Installed with ``connection.execute_wrapper(times)``; ``report()`` lists the shapes that took longest.
    """

    def __init__(self, *, key_chars: int = 150, top: int = 12) -> None:
        self.times: dict[str, list[float]] = {}
        self.key_chars, self.top = key_chars, top

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = re.sub(r"(%s, )+%s", "%s...", " ".join(str(sql).split()))[:self.key_chars]
            entry = self.times.setdefault(key, [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - started

    def report(self, label: str = "") -> str:
        top = sorted(self.times.items(), key=lambda item: -item[1][1])[:self.top]
        lines = [f"--- SQL{' of ' + label if label else ''}: {sum(t for _n, t in self.times.values()):.2f} s in "
                 f"{sum(n for n, _t in self.times.values())} statements ---"]
        lines += [f"{seconds:8.2f} s {count:6d}x  {sql}" for sql, (count, seconds) in top]
        return "\n".join(lines) + "\n"
