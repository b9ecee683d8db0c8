"""``dashboard``: the kelurahan overview and RW pages over HTTP, read from stored snapshots.

N counts residents (default 1,000,000). The data is prepared as in ``snapshot`` (registry, scores,
twenty programs), then three monthly snapshots are stored (this month and the two before) and the
demo's generated RW outlines loaded (none of it timed). The app then runs under ``bansos serve`` in
its own process; a client process signs in as an admin and sends 600 requests from 4 concurrent
workers (after warm-up), alternating the overview (``/pemantauan/``, every card with its trend, the
per-RW bars and map, the program mix) and an RW page (``/pemantauan/rw/<n>/``). Keys: ``p50_ms``,
``p95_ms``, ``errors``, ``requests``, ``p95_overview_ms``, ``p95_rw_ms``.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

from bench.common import result_line, scratch_database

REQUESTS = 600
WORKERS = 4
TIME_LIMIT_S = 300


def run(size: int) -> str:
    with scratch_database() as scratch:
        from django.db import connections

        from bansos.accounts.models import Role, User
        from bansos.core.models import RW
        from bansos.monitoring.demo import demo_geojson
        from bansos.monitoring.services import boundaries_load, snapshot_run
        from bansos.monitoring.services.snapshots import month_start
        from bench.search import _free_port, _stop, _wait_for_server
        from bench.snapshot import prepare

        from django.utils import timezone

        prepare(size)
        password = secrets.token_urlsafe(16)
        admin = User.objects.create_user(username="bench", password=password, role=Role.ADMIN, first_name="Bench")
        numbers = list(RW.objects.values_list("number", flat=True))
        boundaries_load(actor=admin, text=demo_geojson(numbers, 2026))
        this = month_start(timezone.localdate())
        for back in (2, 1, 0):
            index = this.year * 12 + this.month - 1 - back
            snapshot_run(actor=None, period=this.replace(year=index // 12, month=index % 12 + 1))
        targets = Path(scratch.data_dir) / "targets.json"
        targets.write_text(json.dumps(["/pemantauan/", *[f"/pemantauan/rw/{n}/" for n in numbers]]),
                           encoding="utf-8")
        connections.close_all()
        port = _free_port()
        log = Path(scratch.data_dir) / "server.log"
        with open(log, "wb") as log_handle:
            server = subprocess.Popen(
                [sys.executable, "-m", "bansos.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=scratch.env, stdout=log_handle, stderr=subprocess.STDOUT)
            try:
                _wait_for_server(port, server, log)
                client = subprocess.run(
                    [sys.executable, "-m", "bench.dashboard", "--port", str(port), "--targets", str(targets)],
                    input=password, capture_output=True, text=True, timeout=TIME_LIMIT_S + 60, env=scratch.env)
            finally:
                _stop(server)
        if client.returncode != 0:
            raise RuntimeError(f"client failed: {client.stderr[-2000:]}")
        figures = json.loads(client.stdout.strip().splitlines()[-1])
        return result_line("dashboard", db=scratch.db, size=size, **figures)


def client_main(argv: list[str]) -> int:
    import argparse
    import itertools
    import threading
    import time

    from bench.search import _percentile, _Session

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--targets", required=True)
    args = parser.parse_args(argv)
    password = sys.stdin.read().strip()
    overview, *rw_pages = json.loads(Path(args.targets).read_text(encoding="utf-8"))
    counter = itertools.count()
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {"overview": [], "rw": []}
    errors: list[str] = []
    deadline = time.monotonic() + TIME_LIMIT_S

    def worker(number: int) -> None:
        session = _Session(args.port)
        session.login("bench", password)
        for i in range(3):
            session.request("GET", overview if i % 2 == 0 else rw_pages[(number + i) % len(rw_pages)])
        while time.monotonic() < deadline:
            with lock:
                index = next(counter)
            if index >= REQUESTS:
                return
            kind = "overview" if index % 2 == 0 else "rw"
            path = overview if kind == "overview" else rw_pages[(index // 2) % len(rw_pages)]
            started = time.perf_counter()
            try:
                status, _body = session.request("GET", path)
            except Exception as exc:  # noqa: BLE001 - a failed request is a counted error
                status = repr(exc)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies[kind].append(elapsed)
                if status != 200:
                    errors.append(f"{status} {path}")

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIME_LIMIT_S + 30)
    every = [v for values in latencies.values() for v in values]
    if errors:
        sys.stderr.write("first errors: " + "; ".join(errors[:5]) + "\n")
    print(json.dumps({"p50_ms": round(_percentile(every, 0.5), 1), "p95_ms": round(_percentile(every, 0.95), 1),
                      "errors": len(errors), "requests": len(every),
                      "p95_overview_ms": round(_percentile(latencies["overview"], 0.95), 1),
                      "p95_rw_ms": round(_percentile(latencies["rw"], 0.95), 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(client_main(sys.argv[1:]))
