"""``attendance``: taps on the phone attendance page of a 30-person session, under load from a second process.

The app runs under `bansos serve` (gunicorn, cores + 1 processes) on a free 127.0.0.1 port. A load
process signs in and keeps two connections busy GETting the course page and the attendance page
for as long as the measurement lasts. This process signs in as the course's officer, reads the
attendance page once (CSRF token), then taps like a phone: one POST at a time, htmx headers, each
participant in turn set present then absent, ``size`` taps in all (bounded by TAPS_TIME_LIMIT_S).
Latency is per tap, from the client, body read in full. ``size`` counts taps; the session has 30
participants.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench.common import result_line, scratch_database
from bench.search import _free_port, _percentile, _Session, _stop, _wait_for_server

PARTICIPANTS = 30
HOUSEHOLDS = 300  # registry the course's trainees come from
LOAD_CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "2"))  # 0: the taps alone, for comparison
TAPS_TIME_LIMIT_S = 180
WARMUP_TAPS = 10
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _setup(password: str) -> dict:
    """A running course with one session today and 30 participants, made through the services."""
    from django.utils import timezone

    from bansos.accounts.models import Agency, Role, User
    from bansos.demo.services import demo_seed
    from bansos.programs.models import Enrollment
    from bansos.programs.services.enrollment import enrollment_apply, enrollment_transition
    from bansos.programs.services.programs import program_create, program_status_set
    from bansos.registry.models import Resident
    from bansos.training.services.courses import course_create, course_start, session_add
    from bansos.training.services.participants import participant_add

    demo_seed(households=HOUSEHOLDS, seed=2026)
    admin = User.objects.create_user(username="bench_admin", password=secrets.token_urlsafe(16), role=Role.ADMIN)
    agency = Agency.objects.create(name="Bench Dinas", kind="government")
    company = Agency.objects.create(name="Bench PT Mitra", kind="business")
    officer = User.objects.create_user(username="bench", password=password, role=Role.OFFICER, agency=agency,
                                       first_name="Bench")
    today = timezone.localdate()
    program = program_create(actor=admin, data={
        "name": "Pelatihan Bench", "kind": "training", "agency": agency, "description": "", "target_groups": [],
        "participant": "resident", "benefit_kind": "course", "benefit_description": "", "benefit_amount": 0,
        "benefit_periods": 1, "start_date": today - dt.timedelta(days=60), "end_date": today + dt.timedelta(days=60),
        "capacity": None})
    program_status_set(actor=admin, program=program, status="open")
    program_status_set(actor=admin, program=program, status="running")
    course = course_create(actor=officer, program=program, data={
        "title": "Kelas Bench", "skill_area": "digital", "partner": company, "capacity": PARTICIPANTS,
        "min_attendance_pct": 75})
    for back in (14, 7, 0):
        session_add(actor=officer, course=course, data={"date": today - dt.timedelta(days=back), "place": "Aula",
                                                        "trainer": "Pelatih Bench"})
    course_start(actor=officer, course=course)
    seen, chosen = set(), []
    for resident in Resident.objects.filter(status="active").order_by("household_id", "pk").iterator():
        if resident.household_id not in seen:
            seen.add(resident.household_id)
            chosen.append(resident)
        if len(chosen) == PARTICIPANTS:
            break
    participants = []
    for resident in chosen:
        e = enrollment_apply(actor=admin, program=program, household=resident.household, resident=resident)
        for step in ("verified", "approved", "active"):
            e = enrollment_transition(actor=admin, enrollment=e, to=step, reason="bench")
        participants.append(participant_add(actor=officer, course=course, enrollment=e).pk)
    assert Enrollment.objects.filter(program=program).count() == PARTICIPANTS
    session = course.sessions.get(date=today)
    return {"course": course.pk, "session": session.pk, "participants": participants}


def run(size: int) -> str:
    with scratch_database() as scratch:
        from django.db import connections

        password = secrets.token_urlsafe(16)
        print(f"bench: {HOUSEHOLDS} households, a course with a {PARTICIPANTS}-person session today")
        target = _setup(password)
        if connections["default"].vendor == "postgresql":
            with connections["default"].cursor() as cursor:
                cursor.execute("ANALYZE")
        connections.close_all()

        port = _free_port()
        data_dir = Path(scratch.data_dir)
        log = data_dir / "server.log"
        stop_file = data_dir / "stop-load"
        with open(log, "wb") as log_handle:
            server = subprocess.Popen(
                [sys.executable, "-m", "bansos.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=scratch.env, stdout=log_handle, stderr=subprocess.STDOUT)
            load = None
            try:
                _wait_for_server(port, server, log)
                load = subprocess.Popen(
                    [sys.executable, "-m", "bench.attendance", "--load", "--port", str(port), "--username", "bench",
                     "--course", str(target["course"]), "--session", str(target["session"]),
                     "--stop-file", str(stop_file)],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=scratch.env)
                load.stdin.write(password)
                load.stdin.close()
                load.stdin = None  # so that communicate() below does not flush it again
                time.sleep(1.0)  # let the load reach its pace before the first tap
                print(f"bench: server pid {server.pid}, load pid {load.pid}; {size} taps")
                figures = _taps(port, password, target, size)
            finally:
                stop_file.write_text("stop")
                load_out = ""
                if load is not None:
                    try:
                        load_out, _err = load.communicate(timeout=30)
                    except subprocess.TimeoutExpired:
                        load.kill()
                        load_out, _err = load.communicate(timeout=10)
                _stop(server)
        load_figures = json.loads(load_out.strip().splitlines()[-1]) if load_out.strip() else {}
        return result_line("attendance", db=scratch.db, size=size, p50_ms=figures["p50_ms"],
                           p95_ms=figures["p95_ms"], errors=figures["errors"], taps=figures["taps"],
                           max_ms=figures["max_ms"], load_requests=load_figures.get("requests", 0),
                           load_errors=load_figures.get("errors", 0))


def _taps(port: int, password: str, target: dict, size: int) -> dict:
    session = _Session(port)
    session.login("bench", password)
    page = f"/pelatihan/pertemuan/{target['session']}/absensi/"
    status, body = session.request("GET", page)
    match = _CSRF_INPUT.search(body.decode("utf-8", "replace"))
    if status != 200 or not match:
        raise RuntimeError(f"attendance page answered {status}")
    token = match.group(1)
    participants = target["participants"]
    state = {pk: False for pk in participants}
    latencies, errors = [], []
    deadline = time.monotonic() + TAPS_TIME_LIMIT_S
    for i in range(WARMUP_TAPS + size):
        if time.monotonic() > deadline:
            break
        pk = participants[i % len(participants)]
        want = not state[pk]
        # Bytes, so that http.client sends headers and body in one packet (a str body goes in a second send(),
        # and Nagle's algorithm with the server's delayed ACK then adds ~40 ms to every tap).
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "present": "1" if want else "0"}).encode()
        started = time.perf_counter()
        try:
            status, body = session.request(
                "POST", f"{page}{pk}/", body=form,
                headers={"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
                         "HX-Current-URL": f"http://127.0.0.1:{port}{page}", "Referer": f"http://127.0.0.1:{port}{page}"})
        except Exception as exc:  # noqa: BLE001 - counted as an error
            status, body = repr(exc), b""
        elapsed = (time.perf_counter() - started) * 1000
        ok = status == 200 and (b"is-present" in body) == want
        if i >= WARMUP_TAPS:
            latencies.append(elapsed)
            if not ok:
                errors.append(f"{status} tap {i}")
        if ok:
            state[pk] = want
    if errors:
        sys.stderr.write("first errors: " + "; ".join(errors[:5]) + "\n")
    return {"p50_ms": round(_percentile(latencies, 0.50), 1), "p95_ms": round(_percentile(latencies, 0.95), 1),
            "max_ms": round(max(latencies) if latencies else 0.0, 1), "errors": len(errors), "taps": len(latencies)}


# --- The load process ------------------------------------------------------------------------------------


def load_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--course", type=int, required=True)
    parser.add_argument("--session", type=int, required=True)
    parser.add_argument("--stop-file", required=True)
    args = parser.parse_args(argv)
    password = sys.stdin.read().strip()
    stop = Path(args.stop_file)
    paths = [f"/pelatihan/{args.course}/", f"/pelatihan/pertemuan/{args.session}/absensi/"]
    deadline = time.monotonic() + TAPS_TIME_LIMIT_S + 60  # never outlives the measurement for long
    lock = threading.Lock()
    counts = {"requests": 0, "errors": 0}

    def worker(number: int) -> None:
        session = _Session(args.port)
        session.login(args.username, password)
        i = number
        while not stop.exists() and time.monotonic() < deadline:
            try:
                status, _body = session.request("GET", paths[i % len(paths)])
            except Exception:  # noqa: BLE001
                status = 0
            with lock:
                counts["requests"] += 1
                counts["errors"] += status != 200
            i += 1

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(LOAD_CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TAPS_TIME_LIMIT_S + 90)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(load_main(sys.argv[1:]))
