"""``load``: a bounded load test of the served platform by simulated users (issue 11).

N counts residents (default 1,000,000; about 270,000 households), loaded with the demo generator
into a scratch database together with every app's demo data (programs, cash, training, health,
participation, monitoring). The app runs under ``bansos serve`` (gunicorn, cores + 1 processes)
on a free 127.0.0.1 port. ``USERS`` simulated users (default 200) are given a role; the staff and
residents among them sign in first, eight at a time, before the measured period (each sign-in
hashes a password on purpose slowly, PBKDF2 with Django's iterations: some 130 of them in the same
three seconds would be a sign-in storm that the page latencies then measure; the sign-ins are timed
on their own, ``signin_p50_ms``/``signin_p95_ms``). The users then work for ``DURATION_S``
(default 120 s), spread over ``CLIENT_PROCESSES`` client processes so the client's own Python is
not the bottleneck, arriving over the first three seconds, each in a loop: pick a request from its
role's mix, send it, read the body, wait a think time (exponential, mean ``THINK_S`` = 2 s, as
people read a page before the next click), until the time is up.

The mix (weights in ``MIX``): kelurahan admins and program officers open the household list with
a search, a household page, the program catalog, the cash overview and the monitoring dashboard,
and call the JSON API (household search, programs); residents open their portal home; anonymous
visitors read the public portal (home, program catalog, announcements). Everything is GET: the
test measures serving, not writing, and leaves the data as it was.

Keys: ``rps`` (completed requests per second), ``p50_ms``, ``p95_ms``, ``p99_ms`` (all requests),
``errors`` (status other than 200, or a failed connection), ``requests``, ``users``, and p95 per
kind of page, and the sign-in times. Hard limits: the request phase stops at DURATION_S; the whole
client is killed at DURATION_S + 120 s. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench.common import result_line, scratch_database
from bench.search import _free_port, _percentile, _Session, _stop, _wait_for_server

USERS = 200
DURATION_S = 120
CLIENT_PROCESSES = 4
THINK_S = 2.0
SAMPLE = 300
SERVICE_ROUNDS = 15  # requests per kind of page for the service times, one at a time
# role -> share of the simulated users
ROLES = {"admin": 0.15, "officer": 0.25, "resident": 0.25, "anon": 0.35}
# role -> [(kind, weight)]; each kind names a list of paths built by ``_paths``
MIX = {
    "admin": [("search", 3), ("household", 3), ("programs", 1), ("cash", 1), ("monitoring", 1), ("api_search", 2)],
    "officer": [("search", 2), ("household_agency", 2), ("programs", 2), ("cash", 2), ("api_programs", 2)],
    "resident": [("portal_home", 4), ("portal_catalog", 2), ("announcements", 1)],
    "anon": [("portal_public", 3), ("portal_catalog", 4), ("announcements", 2)],
}


def _maybe(name: str, *args) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _paths(rng: random.Random, agency_id: int | None) -> dict[str, list[str]]:
    """Every kind's list of paths, from the loaded data; a kind whose page does not exist is left out."""
    from bansos.programs.models import Enrollment
    from bansos.registry.models import Resident

    people = list(Resident.objects.order_by("?").values_list("nik", "full_name", "household_id")[:SAMPLE]) \
        if Resident.objects.count() < 50_000 else _sample_people(rng)
    names = [p[1].split()[0] for p in people]
    paths = {
        "search": [f"/registri/?q={urllib.parse.quote(n)}" for n in names] + [f"/registri/?q={p[0]}" for p in people],
        "household": [f"/registri/keluarga/{p[2]}/" for p in people],
        "api_search": [f"/api/households?q={urllib.parse.quote(n)}" for n in names],
        "api_programs": ["/api/programs"],
        # An officer opens the households of its own agency's programs (others answer 404, as they should).
        "household_agency": [f"/registri/keluarga/{pk}/" for pk in Enrollment.objects.filter(
            program__agency_id=agency_id).values_list("household_id", flat=True).distinct()[:SAMPLE]],
    }
    for kind, url in (("programs", "programs:program_list"), ("cash", "cash:overview"),
                      ("monitoring", "monitoring:overview"), ("portal_home", "portal:beranda"),
                      ("portal_public", "portal:home"), ("portal_catalog", "portal:catalog"),
                      ("announcements", "notifications:public_list")):
        path = _maybe(url)
        if path:
            paths[kind] = [path]
    return paths


def _sample_people(rng: random.Random) -> list[tuple]:
    from django.db.models import Max, Min

    from bansos.registry.models import Resident

    bounds = Resident.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    ids = rng.sample(range(bounds["lo"], bounds["hi"] + 1), min(SAMPLE, bounds["hi"] - bounds["lo"] + 1))
    return list(Resident.objects.filter(pk__in=ids).values_list("nik", "full_name", "household_id"))


def _officer_agency() -> int | None:
    from bansos.accounts.models import Agency
    from bansos.programs.models import Program

    agency = Agency.objects.filter(pk__in=Program.objects.values("agency_id")).order_by("pk").first()
    return agency.pk if agency else None


def _accounts() -> dict[str, tuple[str, str]]:
    """One account per signed-in role (simulated users of a role share it, each with its own session)."""
    from bansos.accounts.models import Agency, Role, User

    made = {}
    agency = Agency.objects.filter(pk=_officer_agency()).first()
    resident_user = User.objects.filter(role=Role.RESIDENT, household__isnull=False).order_by("pk").first()
    for role, username, extra in (("admin", "load-admin", {"role": Role.ADMIN}),
                                  ("officer", "load-officer", {"role": Role.OFFICER, "agency": agency})):
        password = secrets.token_urlsafe(16)
        User.objects.create_user(username=username, password=password, first_name=username, **extra)
        made[role] = (username, password)
    if resident_user is not None:
        password = secrets.token_urlsafe(16)
        resident_user.set_password(password)
        resident_user.save(update_fields=["password"])
        made["resident"] = (resident_user.username, password)
    return made


def run(size: int) -> str:
    with scratch_database() as scratch:
        from django.db import connections

        from bansos.demo.generator import AVERAGE_MEMBERS
        from bansos.demo.services import demo_accounts_create, demo_agencies_create, demo_seed
        from bansos.demo.steps import demo_apps_create
        from bench.common import progress_printer

        households = max(1, round(size / AVERAGE_MEMBERS))
        print(f"bench: loading {households:,} households (~{size:,} residents) and every app's demo data")
        summary = demo_seed(households=households, seed=2026, progress=progress_printer("keluarga"))
        sys.stderr.write("\n")
        demo_agencies_create()
        demo_accounts_create()
        from bansos.accounts.models import User

        demo_apps_create(actor=User.objects.get(username="admin"), seed=2026, report=print)
        if connections["default"].vendor == "postgresql":
            with connections["default"].cursor() as cursor:
                cursor.execute("ANALYZE")
        plan = {"paths": _paths(random.Random(2026), _officer_agency()), "accounts": _accounts()}
        plan_file = Path(scratch.data_dir) / "load-plan.json"
        plan_file.write_text(json.dumps(plan), encoding="utf-8")
        connections.close_all()

        port = _free_port()
        log = Path(scratch.data_dir) / "server.log"
        outputs = []
        service: dict[str, float] = {}
        signins: list[float] = []
        with open(log, "wb") as log_handle:
            server = subprocess.Popen(
                [sys.executable, "-m", "bansos.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=scratch.env, stdout=log_handle, stderr=subprocess.STDOUT,
            )
            try:
                _wait_for_server(port, server, log)
                service = _service_times(port, plan)
                print("bench: service time per page, one request at a time (median ms): "
                      + ", ".join(f"{k} {v}" for k, v in sorted(service.items())))
                plan["users"], signins = _sign_in_users(port, plan)
                plan_file.write_text(json.dumps(plan), encoding="utf-8")
                print(f"bench: {len(signins)} users signed in, median {_percentile(signins, 0.5):.0f} ms")
                print(f"bench: server pid {server.pid} on 127.0.0.1:{port}; {USERS} users for {DURATION_S} s "
                      f"in {CLIENT_PROCESSES} client processes")
                clients = [
                    subprocess.Popen(
                        [sys.executable, "-m", "bench.load", "--client", "--port", str(port), "--plan", str(plan_file),
                         "--processes", str(CLIENT_PROCESSES), "--offset", str(n), "--duration", str(DURATION_S)],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=scratch.env)
                    for n in range(CLIENT_PROCESSES)
                ]
                for client in clients:
                    out, err = client.communicate(timeout=DURATION_S + 120)
                    if client.returncode != 0:
                        raise RuntimeError(f"client failed: {err[-2000:]}")
                    if err.strip():
                        sys.stderr.write(err[-1500:])
                    outputs.append(json.loads(out.strip().splitlines()[-1]))
            finally:
                _stop(server)
        latencies = {k: [v for o in outputs for v in o["latencies"].get(k, [])]
                     for k in {k for o in outputs for k in o["latencies"]}}
        every = [v for values in latencies.values() for v in values]
        seconds = max(o["seconds"] for o in outputs)
        per_kind = {f"p95_{k}_ms": round(_percentile(v, 0.95), 1) for k, v in sorted(latencies.items())}
        return result_line(
            "load", db=scratch.db, size=size, rps=round(len(every) / seconds, 1),
            p50_ms=round(_percentile(every, 0.50), 1), p95_ms=round(_percentile(every, 0.95), 1),
            p99_ms=round(_percentile(every, 0.99), 1), errors=sum(o["errors"] for o in outputs),
            requests=len(every), users=sum(o["users"] for o in outputs), residents=summary["residents"], **per_kind,
            signin_p50_ms=round(_percentile(signins, 0.5), 1),
            signin_p95_ms=round(_percentile(signins, 0.95), 1),
            **{f"svc_{k}_ms": v for k, v in sorted(service.items())},
        )


def _service_times(port: int, plan: dict, rounds: int = SERVICE_ROUNDS) -> dict[str, float]:
    """Median milliseconds of each kind of page with nothing else running (after one warm-up
    request): what one request costs the server, so the load figures can be read against it."""
    sessions: dict[str, _Session] = {}
    for role, (username, password) in plan["accounts"].items():
        sessions[role] = _Session(port)
        sessions[role].login(username, password)
    sessions["anon"] = _Session(port)
    times: dict[str, float] = {}
    for role, mix in MIX.items():
        session = sessions.get(role)
        for kind, _weight in mix:
            paths = plan["paths"].get(kind)
            if session is None or not paths or kind in times:
                continue
            session.request("GET", paths[0])
            taken = []
            for n in range(rounds):
                began = time.perf_counter()
                session.request("GET", paths[n % len(paths)])
                taken.append((time.perf_counter() - began) * 1000)
            times[kind] = round(_percentile(taken, 0.5), 1)
    return times


def _sign_in_users(port: int, plan: dict, users: int = USERS) -> tuple[list[dict], list[float]]:
    """Give each simulated user a role and sign the staff and residents in, eight at a time:
    [{"role", "cookies"}] in user order, and each sign-in's milliseconds."""
    from concurrent.futures import ThreadPoolExecutor

    rng = random.Random(2026)
    roles = [r for r in ROLES if r == "anon" or r in plan["accounts"]]
    chosen = rng.choices(roles, [ROLES[r] for r in roles], k=users)

    def sign_in(role: str) -> tuple[dict, float]:
        if role == "anon":
            return {"role": role, "cookies": {}}, -1.0
        session = _Session(port)
        began = time.perf_counter()
        session.login(*plan["accounts"][role])
        taken = (time.perf_counter() - began) * 1000
        session.conn.close()
        return {"role": role, "cookies": session.cookies}, taken

    with ThreadPoolExecutor(max_workers=8) as pool:
        done = list(pool.map(sign_in, chosen))
    return [spec for spec, _ms in done], [ms for _spec, ms in done if ms >= 0]


# --- The client process ----------------------------------------------------------------------


def client_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", action="store_true")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--processes", type=int, required=True)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--duration", type=float, default=DURATION_S)
    args = parser.parse_args(argv)
    plan = json.loads(Path(args.plan).read_text(encoding="utf-8"))
    paths = plan["paths"]
    mine = plan["users"][args.offset::args.processes]
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    started_at = time.monotonic()
    deadline = started_at + args.duration

    def user(number: int, spec: dict) -> None:
        own = random.Random(number * 7919 + args.offset)
        mix = [(kind, weight) for kind, weight in MIX[spec["role"]] if paths.get(kind)]
        kinds, weights = [k for k, _w in mix], [w for _k, w in mix]
        session = _Session(args.port)
        session.cookies = dict(spec["cookies"])  # signed in before the measured period
        time.sleep(own.random() * 3)  # users arrive over the first seconds, not all at once
        while time.monotonic() < deadline:
            kind = own.choices(kinds, weights)[0]
            path = own.choice(paths[kind])
            began = time.perf_counter()
            try:
                status, _body = session.request("GET", path)
            except Exception as exc:  # noqa: BLE001 - a failed request is a counted error
                status = repr(exc)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.setdefault(kind, []).append(round(elapsed, 2))
                if status != 200:
                    errors.append(f"{status} {path}")
            time.sleep(min(own.expovariate(1 / THINK_S), 10.0))

    threads = [threading.Thread(target=user, args=(n, spec), daemon=True) for n, spec in enumerate(mine)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1.0, deadline - time.monotonic() + 40))
    if errors:
        sys.stderr.write(f"client {args.offset}: {len(errors)} errors, first: " + "; ".join(errors[:5]) + "\n")
    print(json.dumps({"latencies": latencies, "errors": len(errors), "users": len(mine),
                      "seconds": time.monotonic() - started_at}))
    return 0


if __name__ == "__main__":
    sys.exit(client_main(sys.argv[1:]))
