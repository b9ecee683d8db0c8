"""``snapshot``: the monthly snapshot of every default indicator with every breakdown.

N counts residents (default 1,000,000, about 290,000 households), loaded with the demo seed's fast path,
scored with ``welfare_rescore_all``, and given the ``overlap`` benchmark's twenty programs and their
enrollments (bulk inserts). ``activity`` then adds what the other indicators read, so none of them
runs over an empty table: two posyandu visits with a height-for-age z-score per under-five (this month
and last), a business with six monthly revenue logs for one household in twelve, an announcement in
every household's inbox (one in three opened), forum posts of one household in forty, and a grievance
per hundred households in every state. On PostgreSQL an ``ANALYZE`` follows. None of this is timed.

Timed: ``bansos.monitoring.services.snapshot_run(actor=None)`` for this month, exactly as the monthly
task runs it: every active indicator's aggregate queries, then one transaction replacing the month's
rows. Keys: ``total_s``, ``indicators``, ``rows`` (cells stored), ``households``, ``cpu_s`` (this
process's CPU time in the timed step: on SQLite nearly all the work, on PostgreSQL the client's share).

The seconds of each indicator are printed on stderr. ``BENCH_PROFILE=1`` adds the top of a cProfile of
the snapshot; ``BENCH_PROFILE=sql`` the SQL statements that took the most wall time (server included).
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import os
import pstats
import sys
import time

from bench.common import StatementTimes, progress_printer, result_line, scratch_database

SEED = 2026


def prepare(size: int) -> int:
    """Registry, scores and program enrollments of ``size`` residents; returns the households loaded."""
    from django.db import connections

    from bansos.demo.generator import AVERAGE_MEMBERS
    from bansos.demo.services import demo_seed
    from bansos.welfare.services import welfare_rescore_all
    from bench.overlap import build

    households = max(1, round(size / AVERAGE_MEMBERS))
    print(f"bench: loading {households:,} households (~{size:,} residents)")
    demo_seed(households=households, seed=SEED, progress=progress_printer("keluarga"))
    sys.stderr.write("\n")
    welfare_rescore_all(actor=None, progress=progress_printer("skor"))
    sys.stderr.write("\n")
    counts = build(progress=progress_printer("kepesertaan"))
    sys.stderr.write("\n")
    print(f"bench: {counts['programs']} programs, {counts['enrollments']:,} enrollments")
    print("bench: " + ", ".join(f"{n:,} {name}" for name, n in activity().items()))
    if connections["default"].vendor == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
    return households


def _timed_progress():
    """A progress callback that also records the seconds each indicator took (in ``Indicator.order``)."""
    from bansos.monitoring.models import Indicator

    show = progress_printer("indikator")
    codes = [i.code for i in Indicator.objects.filter(is_active=True).order_by("order", "code")]
    seconds: list[tuple[str, float]] = []
    last = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        seconds.append((codes[done - 1] if done <= len(codes) else str(done), now - last[0]))
        last[0] = now
        show(done, total)

    return progress, seconds


def activity(seed: int = SEED) -> dict[str, int]:
    """Visits, businesses, announcements, forum posts and grievances over the loaded registry (bulk inserts)."""
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from bansos.accounts.models import Role, User
    from bansos.core.models import RW, Posyandu
    from bansos.forums.models import Forum, Reply, Thread
    from bansos.grievances.models import Grievance
    from bansos.health.models import ChildVisit, PosyanduSession
    from bansos.monitoring.indicators.frame import years_before
    from bansos.notifications.models import Message
    from bansos.programs.models import Program
    from bansos.registry.models import Household, Resident
    from bansos.umkm.models import Business, RevenueLog

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    this = today.replace(day=1)
    last = (this - dt.timedelta(days=1)).replace(day=1)
    counts: dict[str, int] = {}
    batch = 5000
    with transaction.atomic():
        sessions = {}
        for pos in Posyandu.objects.all():
            for month in (last, this):
                sessions[(pos.pk, month)] = PosyanduSession.objects.create(posyandu=pos, month=month, date=month)
        by_rt = {}
        for pos in Posyandu.objects.prefetch_related("rts"):
            for rt in pos.rts.all():
                by_rt[rt.pk] = pos.pk
        fallback = next(iter(by_rt.values()), None) or Posyandu.objects.values_list("pk", flat=True).first()
        children = Resident.objects.filter(status="active", birth_date__gt=years_before(today, 5)).values_list(
            "pk", "household_id", "household__rt_id", "birth_date")
        visits = []
        for pk, household, rt, born in children.iterator(chunk_size=batch):
            pos = by_rt.get(rt, fallback)
            for month in (last, this):
                day = max(month, born)
                visits.append(ChildVisit(session=sessions[(pos, month)], child_id=pk, household_id=household,
                                         visit_date=day, age_days=(day - born).days,
                                         haz=round(rng.gauss(-0.9, 1.1), 2)))
        ChildVisit.objects.bulk_create(visits, batch_size=batch)
        counts["child visits"] = len(visits)

        umkm = Program.objects.filter(kind="enterprise").first() or Program.objects.first()
        heads = Resident.objects.filter(status="active", relation="head").values_list("pk", "household_id")
        businesses = [Business(owner_id=pk, household_id=hh, program=umkm, name=f"Usaha {pk}", sector="retail",
                               products="sembako", started_on=dt.date(2020, 1, 1))
                      for pk, hh in heads.iterator(chunk_size=batch) if hh % 12 == 0]
        Business.objects.bulk_create(businesses, batch_size=batch)
        logs = []
        for business in Business.objects.values_list("pk", flat=True).iterator(chunk_size=batch):
            base = rng.randrange(2_000_000, 20_000_000)
            for back in range(6):
                index = this.year * 12 + this.month - 1 - back
                logs.append(RevenueLog(business_id=business, month=dt.date(index // 12, index % 12 + 1, 1),
                                       revenue=base + rng.randrange(-1_000_000, 1_000_000), profit=base // 5))
        RevenueLog.objects.bulk_create(logs, batch_size=batch)
        counts["businesses"], counts["revenue logs"] = len(businesses), len(logs)

        households = list(Household.objects.filter(status="active").values_list("pk", "rt__rw_id"))
        messages = [Message(channel="inbox", household_id=pk, topic="announcement", subject="Pengumuman", body=".",
                            reference="notifications.announcement:0", status="read" if pk % 3 == 0 else "sent",
                            sent_at=now, read_at=now if pk % 3 == 0 else None) for pk, _rw in households]
        Message.objects.bulk_create(messages, batch_size=batch)
        counts["announcement messages"] = len(messages)

        writers = [(pk, rw) for pk, rw in households if pk % 40 == 0]
        User.objects.bulk_create([User(username=f"bench.warga.{pk}", role=Role.RESIDENT, household_id=pk,
                                       password="!") for pk, _rw in writers], batch_size=batch)
        users = dict(User.objects.filter(username__startswith="bench.warga.").values_list("household_id", "pk"))
        forums = {rw.pk: Forum.objects.create(kind="rw", rw=rw) for rw in RW.objects.all()}
        threads = Thread.objects.bulk_create(
            [Thread(forum=forums[rw], author_id=users[pk], title="Tanya", body=".", last_activity_at=now)
             for pk, rw in writers], batch_size=batch)
        replies = [Reply(thread=t, author_id=t.author_id, body=".") for t in threads for _ in range(2)]
        Reply.objects.bulk_create(replies, batch_size=batch)
        counts["forum posts"] = len(threads) + len(replies)

        rws = {rw.pk: rw for rw in RW.objects.all()}
        grievances = []
        for n, (pk, rw) in enumerate((pk, rw) for pk, rw in households if pk % 100 == 0):
            received = now - dt.timedelta(days=rng.randrange(1, 80), hours=rng.randrange(24))
            state = ("received", "in_progress", "resolved", "closed", "appealed", "rejected")[n % 6]
            resolved = received + dt.timedelta(days=rng.randrange(1, 20)) if state in (
                "resolved", "closed", "appealed") else None
            resolved = min(resolved, now) if resolved else None
            grievances.append(Grievance(
                code=f"B{n:09d}", category="other", channel="office", track="complaint", state=state,
                subject="Uji", description=".", complainant_name="Warga", complainant_household_id=pk,
                rw=rws[rw], program=umkm if n % 4 == 0 else None, received_at=received,
                first_response_due_at=received + dt.timedelta(days=3),
                resolution_due_at=received + dt.timedelta(days=7), resolved_at=resolved,
                appealed_at=resolved + dt.timedelta(hours=1) if state == "appealed" else None,
                appeal_count=1 if state == "appealed" else 0,
                closed_at=(resolved or received) + dt.timedelta(hours=2) if state in ("closed", "rejected") else None))
        Grievance.objects.bulk_create(grievances, batch_size=batch)
        counts["grievances"] = len(grievances)
    return counts


def run(size: int) -> str:
    with scratch_database() as scratch:
        from django.db import connection

        from bansos.monitoring.services import indicators_ensure, snapshot_run

        households = prepare(size)
        indicators_ensure()
        progress, seconds = _timed_progress()
        mode = os.environ.get("BENCH_PROFILE", "")
        profile = cProfile.Profile() if mode == "1" else None
        statements = StatementTimes(key_chars=400, top=15) if mode == "sql" else None
        wrapper = connection.execute_wrapper(statements) if statements else contextlib.nullcontext()
        cpu = time.process_time()
        started = time.perf_counter()
        with wrapper:
            if profile:
                profile.enable()
            snap = snapshot_run(actor=None, progress=progress)
            if profile:
                profile.disable()
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu
        sys.stderr.write("\n")
        for code, took in sorted(seconds, key=lambda item: -item[1]):
            sys.stderr.write(f"{took:8.2f} s  {code}\n")
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
            sys.stderr.write(out.getvalue())
        if statements:
            sys.stderr.write(statements.report())
        return result_line("snapshot", db=scratch.db, size=size, total_s=round(total, 2), indicators=snap.indicators,
                           rows=snap.rows, households=households, cpu_s=round(cpu, 2))
