"""``overlap``: the coordination page's figures for 20 programs of several agencies.

N counts residents (default 1,000,000, about 290,000 households), loaded with the demo seed's fast
path and scored with ``welfare_rescore_all``. Twenty programs of six kinds and five agencies get
enrollments written directly (bulk inserts: setting up is not what is measured), drawn from a fixed
seed so that poorer households receive more programs (realistic overlaps and a long tail of
households with four or more), some poor households are reached by nothing (exclusion), and about
one enrollment in six is in a state that does not count as receiving (applied, verified, rejected,
graduated, exited). None of this is timed.

Timed: ``bansos.programs.selectors.coordination.coordination_overview()``, every figure of the page
(program x program matrix, concentration per RW, exclusion per RW, similar benefits from other
agencies), best of 3 warm runs (``total_s``). Its parts on their own: ``sets_s`` (the one pass over
the receiving enrollments behind the matrix, the concentration and the similar benefits),
``households_s`` (active households per RW), ``exclusion_s`` (the deciles 1-3 anti-join). Counts:
``programs``, ``enrollments``, ``receiving`` (households receiving at least one program),
``excluded`` (deciles 1-3 with none), ``many`` (households with 4+ programs).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from bench.common import progress_printer, result_line, scratch_database

SEED = 2026
RUNS = 3

# (name, kind, agency index in DEMO_AGENCIES, poorest decile, richest decile, share of those deciles reached)
PROGRAMS = [
    ("BLT Kelurahan", "cash", 0, 1, 4, 0.45),
    ("Bantuan Lansia (KLJ)", "cash", 0, 1, 6, 0.12),
    ("Bantuan Tunai Yayasan", "cash", 2, 1, 3, 0.20),
    ("Sembako CSR Ramadan", "cash", 3, 1, 5, 0.15),
    ("Bantuan Disabilitas (KPDJ)", "cash", 0, 1, 7, 0.04),
    ("Pelatihan Menjahit Perempuan", "training", 2, 1, 6, 0.05),
    ("Pelatihan Tata Boga", "training", 3, 1, 6, 0.05),
    ("Pelatihan Digital Pemuda", "training", 4, 2, 7, 0.06),
    ("Pelatihan Barista", "training", 3, 3, 8, 0.03),
    ("Modal UMKM Pemula", "enterprise", 3, 2, 6, 0.04),
    ("Pendampingan UMKM", "enterprise", 2, 2, 7, 0.05),
    ("Kredit Mikro Kelurahan", "enterprise", 0, 3, 7, 0.03),
    ("KJP Plus (gaya)", "education", 0, 1, 5, 0.30),
    ("Beasiswa Yayasan", "education", 2, 1, 4, 0.08),
    ("Beasiswa CSR", "education", 3, 1, 5, 0.05),
    ("PMT Balita", "health", 1, 1, 5, 0.10),
    ("Kelas Ibu Hamil", "health", 1, 1, 8, 0.04),
    ("Cek Kesehatan Lansia", "health", 1, 1, 10, 0.06),
    ("Karang Taruna Peduli", "community", 4, 1, 10, 0.03),
    ("Bank Sampah RW", "community", 4, 1, 10, 0.04),
]
PERSON_KINDS = {"training", "education", "health", "community"}
# Of the households a program picks: receiving states first, then the ones that do not count.
STATES = [("active", 0.62), ("approved", 0.12), ("suspended", 0.04), ("applied", 0.05), ("verified", 0.04),
          ("rejected", 0.05), ("graduated", 0.05), ("exited", 0.03)]
UNREACHED = 0.30  # share of poor households that programs hardly reach (the exclusion figure)


def _pick_state(rng: random.Random) -> str:
    x = rng.random()
    for state, share in STATES:
        x -= share
        if x < 0:
            return state
    return STATES[0][0]


def build(*, progress=None) -> dict:
    """Agencies, the 20 programs and their enrollments over the scored registry; returns counts."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bansos.demo.services import _FastInsert, demo_agencies_create
    from bansos.programs.models import DEFAULT_PARTICIPANT, Enrollment, Program
    from bansos.registry.models import Relation, Resident
    from bansos.welfare.models import HouseholdWelfare

    agencies = demo_agencies_create()
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    programs = Program.objects.bulk_create([
        Program(name=name, kind=kind, agency=agencies[agency], participant=DEFAULT_PARTICIPANT[kind],
                benefit_kind="money" if kind == "cash" else "service", benefit_amount=300_000 if kind == "cash" else 0,
                benefit_periods=3, start_date=start, end_date=end, status="running")
        for name, kind, agency, *_rest in PROGRAMS
    ])
    programs = list(Program.objects.order_by("pk"))
    deciles = dict(HouseholdWelfare.objects.order_by("household_id").values_list("household_id", "decile"))
    heads = dict(Resident.objects.filter(relation=Relation.HEAD, status="active").values_list("household_id", "pk"))
    rng = random.Random(SEED)
    # Poorer households are reached more often; some poor ones are left out by everyone.
    reach = {hid: (0.1 if d <= 4 and rng.random() < UNREACHED else 1.0) for hid, d in deciles.items()}
    now = timezone.now()
    insert = _FastInsert(Enrollment, connection, now)
    rows: list[tuple] = []
    written = 0
    next_id = 1
    with transaction.atomic():
        for program, (_name, kind, _agency, low, high, share) in zip(programs, PROGRAMS, strict=True):
            person = kind in PERSON_KINDS
            for hid, decile in deciles.items():
                if not low <= decile <= high or rng.random() >= share * reach[hid]:
                    continue
                resident = heads.get(hid) if person else None
                if person and resident is None:
                    continue
                state = _pick_state(rng)
                rows.append(insert.row({"id": next_id, "program_id": program.pk, "household_id": hid,
                                        "resident_id": resident, "state": state, "channel": "staff",
                                        "applied_at": now, "updated_at": now}))
                next_id += 1
            insert.execute(rows)
            written += len(rows)
            rows = []
            if progress:
                progress(written, None)
        from bansos.demo.services import _reset_sequences

        _reset_sequences(connection, [Enrollment])
    # Tables as autovacuum (PostgreSQL: vacuumed, so the index-only scans of the receiving index
    # apply, and analyzed) or a maintenance run (SQLite) would leave them a while after the inserts.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"programs": len(programs), "enrollments": written, "households": len(deciles)}


def run(size: int) -> str:
    with scratch_database() as scratch:
        from bansos.demo.generator import AVERAGE_MEMBERS
        from bansos.demo.services import demo_seed
        from bansos.programs.selectors import coordination as sel
        from bansos.welfare.services import welfare_rescore_all

        households = max(1, round(size / AVERAGE_MEMBERS))
        print(f"bench: loading {households:,} households (~{size:,} residents)")
        demo_seed(households=households, seed=SEED, progress=progress_printer("keluarga"))
        sys.stderr.write("\n")
        welfare_rescore_all(actor=None, progress=progress_printer("skor"))
        sys.stderr.write("\n")
        counts = build(progress=progress_printer("kepesertaan"))
        sys.stderr.write("\n")
        print(f"bench: {counts['programs']} programs, {counts['enrollments']:,} enrollments")

        parts = {}
        for key, fn in (("sets_s", sel.receiving_sets), ("households_s", sel.active_households_by_rw),
                        ("exclusion_s", sel.coordination_exclusion)):
            fn()  # a first run warms the database's page cache, as the page's earlier visits would
            started = time.perf_counter()
            fn()
            parts[key] = time.perf_counter() - started
        totals = []
        overview = None
        for _ in range(RUNS):
            started = time.perf_counter()
            overview = sel.coordination_overview()
            totals.append(time.perf_counter() - started)
        concentration = overview["concentration"]
        exclusion = overview["exclusion"]
        return result_line(
            "overlap", db=scratch.db, size=size, total_s=min(totals), **parts, programs=counts["programs"],
            enrollments=counts["enrollments"], receiving=concentration["total"].receiving,
            excluded=exclusion["total"].excluded, many=concentration["total"].counts[4],
        )
