"""``snapshot``: the monthly snapshot of every default indicator with every breakdown.

N counts residents (default 1,000,000, about 290,000 households), loaded with the demo seed's fast path,
scored with ``welfare_rescore_all``, and given the ``overlap`` benchmark's twenty programs and their
enrollments (bulk inserts); on PostgreSQL an ``ANALYZE`` follows. None of this is timed.

Timed: ``bansos.monitoring.services.snapshot_run(actor=None)`` for this month, exactly as the monthly
task runs it: every active indicator's aggregate queries, then one transaction replacing the month's
rows. Keys: ``total_s``, ``indicators``, ``rows`` (cells stored), ``households``.
"""

from __future__ import annotations

import sys
import time

from bench.common import progress_printer, result_line, scratch_database

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
    if connections["default"].vendor == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
    return households


def run(size: int) -> str:
    with scratch_database() as scratch:
        from bansos.monitoring.services import snapshot_run

        households = prepare(size)
        started = time.perf_counter()
        snap = snapshot_run(actor=None, progress=progress_printer("indikator"))
        total = time.perf_counter() - started
        sys.stderr.write("\n")
        return result_line("snapshot", db=scratch.db, size=size, total_s=round(total, 2), indicators=snap.indicators,
                           rows=snap.rows, households=households)
