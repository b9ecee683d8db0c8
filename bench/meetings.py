"""``meetings``: the needs page's aggregation (per RW and kelurahan) over demo musyawarah data.

Builds N households (default 20,000, the size of Duri Kepa) with the demo generator, adds the
demo meetings (three held meetings per RW with attendance, needs and votes), then times
``needs_overview()`` (the whole needs page: needs by category, top needs, participation, survey
results) and the per-RW variant. Keys: ``p50_ms``, ``p95_ms`` (kelurahan page), ``p95_rw_ms``
(a per-RW page), ``queries`` (per kelurahan page), ``meetings``, ``attendances``, ``needs``.
"""

from __future__ import annotations

import statistics
import sys
import time

from bench.common import progress_printer, result_line, scratch_database

ROUNDS = 200


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(size: int) -> str:
    with scratch_database() as scratch:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from bansos.core.models import RW
        from bansos.demo.services import demo_seed
        from bansos.meetings.demo import demo_meetings_create
        from bansos.meetings.selectors import needs_overview

        demo_seed(households=size, seed=2026, progress=progress_printer("keluarga"))
        sys.stderr.write("\n")
        summary = demo_meetings_create(seed=2026)
        rw = RW.objects.order_by("number").first()
        needs_overview()  # warm-up
        with CaptureQueriesContext(connection) as queries:
            needs_overview()
        page, per_rw = [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            needs_overview()
            page.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            needs_overview(rw=rw)
            per_rw.append((time.perf_counter() - started) * 1000)
        return result_line(
            "meetings", db=scratch.db, size=size, p50_ms=statistics.median(page), p95_ms=_percentile(page, 0.95),
            p95_rw_ms=_percentile(per_rw, 0.95), queries=len(queries), meetings=summary["meetings"],
            attendances=summary["attendances"], needs=summary["needs"],
        )
