"""``search``: latency of household search and household pages over real HTTP, N residents loaded.

The app runs under `bansos serve` (gunicorn, cores + 1 processes) in its own process on a free 127.0.0.1 port; a second
process signs in through the login form like a browser and sends a fixed number of requests from
4 concurrent workers, a third each: search by NIK, search by name prefix, a household page.
Latency is measured per request from the client, body read in full.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import random
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench.common import result_line, scratch_database

REQUESTS = 2000
WORKERS = 4
WARMUP_PER_WORKER = 10
TIME_LIMIT_S = 300  # hard limit for the request phase
SERVER_START_S = 120
SAMPLE = 300  # NIKs, names and households drawn as targets


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_server(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}: {log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/akun/masuk/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("server did not answer in time")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


def _targets(rng: random.Random) -> dict[str, list]:
    from django.db.models import Max, Min

    from bansos.registry.models import Household, Resident

    bounds = Resident.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    ids = rng.sample(range(bounds["lo"], bounds["hi"] + 1), min(SAMPLE, bounds["hi"] - bounds["lo"] + 1))
    people = list(Resident.objects.filter(pk__in=ids).values_list("nik", "full_name", "household_id"))
    names = []
    for _nik, full_name, _hid in people:
        words = full_name.split()
        # What a clerk types: the first name and the start of the second.
        names.append(words[0] + (" " + words[1][:3] if len(words) > 1 else ""))
    households = [hid for _n, _f, hid in people]
    assert Household.objects.filter(pk__in=households).count() == len(set(households))
    return {"nik": [p[0] for p in people], "name": names, "household": households}


def run(size: int) -> str:
    with scratch_database() as scratch:
        from django.db import connections

        from bansos.accounts.models import Role, User
        from bansos.demo.generator import AVERAGE_MEMBERS
        from bansos.demo.services import demo_seed
        from bench.common import progress_printer

        households = max(1, round(size / AVERAGE_MEMBERS))
        print(f"bench: loading {households:,} households (~{size:,} residents)")
        summary = demo_seed(households=households, seed=2026, progress=progress_printer("keluarga"))
        sys.stderr.write("\n")
        password = secrets.token_urlsafe(16)
        User.objects.create_user(username="bench", password=password, role=Role.ADMIN, first_name="Bench")
        targets = _targets(random.Random(2026))
        target_file = Path(scratch.data_dir) / "targets.json"
        target_file.write_text(json.dumps(targets), encoding="utf-8")
        if connections["default"].vendor == "postgresql":
            # A live database has autovacuum statistics; a freshly bulk-loaded scratch one does not.
            with connections["default"].cursor() as cursor:
                cursor.execute("ANALYZE")
        connections.close_all()

        port = _free_port()
        log = Path(scratch.data_dir) / "server.log"
        with open(log, "wb") as log_handle:
            server = subprocess.Popen(
                # The production server exactly as `bansos serve` runs it (processes per core).
                [sys.executable, "-m", "bansos.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=scratch.env, stdout=log_handle, stderr=subprocess.STDOUT,
            )
            try:
                _wait_for_server(port, server, log)
                print(f"bench: server pid {server.pid} on 127.0.0.1:{port}; {REQUESTS} requests, {WORKERS} workers")
                client = subprocess.run(
                    [sys.executable, "-m", "bench.search", "--client", "--port", str(port), "--username", "bench",
                     "--targets", str(target_file), "--requests", str(REQUESTS), "--workers", str(WORKERS)],
                    input=password, capture_output=True, text=True, timeout=TIME_LIMIT_S + 60,
                    env=scratch.env,
                )
            finally:
                _stop(server)
        if client.returncode != 0:
            raise RuntimeError(f"client failed: {client.stderr[-2000:]}")
        figures = json.loads(client.stdout.strip().splitlines()[-1])
        return result_line("search", db=scratch.db, size=size, p50_ms=figures["p50_ms"], p95_ms=figures["p95_ms"],
                           requests=figures["requests"], errors=figures["errors"],
                           p95_nik_ms=figures["p95_nik_ms"], p95_name_ms=figures["p95_name_ms"],
                           p95_page_ms=figures["p95_page_ms"], residents=summary["residents"])


# --- The client process ----------------------------------------------------------------------

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Session:
    """One signed-in browser-like connection: keeps its cookies, reuses its TCP connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closed a kept-alive connection: one fresh try.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/akun/masuk/")
        match = _CSRF_INPUT.search(page.decode("utf-8", "replace"))
        if status != 200 or not match:
            raise RuntimeError(f"login page answered {status} without a CSRF token")
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)}
        )
        status, _ = self.request("POST", "/akun/masuk/", body=form,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in failed (status {status})")


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def client_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", action="store_true")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--targets", required=True)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args(argv)
    password = sys.stdin.read().strip()  # not on the command line, where ps would show it
    targets = json.loads(Path(args.targets).read_text(encoding="utf-8"))
    paths = {
        "nik": [f"/registri/?q={nik}" for nik in targets["nik"]],
        "name": [f"/registri/?q={urllib.parse.quote(name)}" for name in targets["name"]],
        "page": [f"/registri/keluarga/{pk}/" for pk in targets["household"]],
    }
    kinds = ("nik", "name", "page")
    counter = itertools.count()
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {k: [] for k in kinds}
    errors = []
    deadline = time.monotonic() + TIME_LIMIT_S

    def worker(number: int) -> None:
        session = _Session(args.port)
        session.login(args.username, password)
        for i in range(WARMUP_PER_WORKER):
            session.request("GET", paths[kinds[i % 3]][(number * 7 + i) % len(paths[kinds[i % 3]])])
        while time.monotonic() < deadline:
            with lock:
                index = next(counter)
            if index >= args.requests:
                return
            kind = kinds[index % 3]
            path = paths[kind][(index // 3) % len(paths[kind])]
            started = time.perf_counter()
            try:
                status, _body = session.request("GET", path)
            except Exception as exc:  # noqa: BLE001 - a failed request is a counted error, not a crash
                status = repr(exc)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies[kind].append(elapsed)
                if status != 200:
                    errors.append(f"{status} {path}")

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIME_LIMIT_S + 30)
    every = [v for values in latencies.values() for v in values]
    if errors:
        sys.stderr.write("first errors: " + "; ".join(errors[:5]) + "\n")
    print(json.dumps({
        "p50_ms": round(_percentile(every, 0.50), 1), "p95_ms": round(_percentile(every, 0.95), 1),
        "requests": len(every), "errors": len(errors),
        **{f"p95_{k}_ms": round(_percentile(v, 0.95), 1) for k, v in latencies.items()},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(client_main(sys.argv[1:]))
