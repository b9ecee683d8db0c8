"""``targeting``: score and rank every household, then evaluate five programs' eligibility rules.

N counts residents (default 1,000,000, about 270,000 households), loaded with the demo seed's fast
path; loading is not timed, nor is the ANALYZE after it on PostgreSQL. ``score_s`` is
``welfare_rescore_all`` (estimate every active household's per-capita expenditure with the
published welfare model, rank it into deciles 1-10, store the scores). ``rules_s`` is
``bansos.eligibility.bench_rules`` (the eligibility engine's bulk evaluation of five programs'
rules over the registry), when that engine is installed; ``eligible`` is the count it returns.
``total_s`` = ``score_s`` + ``rules_s``.
"""

from __future__ import annotations

import sys
import time

from bench.common import progress_printer, result_line, scratch_database


def _rules_runner():
    """The eligibility engine's bulk evaluation, or None while it does not exist yet."""
    try:
        from bansos.eligibility import bench_rules
    except ImportError:
        return None
    return bench_rules


def run(size: int) -> str:
    with scratch_database() as scratch:
        from django.db import connections

        from bansos.demo.generator import AVERAGE_MEMBERS
        from bansos.demo.services import demo_seed
        from bansos.welfare.services import welfare_rescore_all

        households = max(1, round(size / AVERAGE_MEMBERS))
        print(f"bench: loading {households:,} households (~{size:,} residents)")
        summary = demo_seed(households=households, seed=2026, progress=progress_printer("keluarga"))
        sys.stderr.write("\n")
        if connections["default"].vendor == "postgresql":
            # A live database has autovacuum statistics; a freshly bulk-loaded scratch one does not.
            with connections["default"].cursor() as cursor:
                cursor.execute("ANALYZE")

        # --- scoring half (welfare) ---
        started = time.perf_counter()
        scored = welfare_rescore_all(actor=None, progress=progress_printer("skor"))
        score_s = time.perf_counter() - started
        sys.stderr.write("\n")
        print(f"bench: scored {scored['scored']:,} households in {score_s:.2f} s")

        # --- rules half (eligibility) ---
        rules_s = 0.0
        eligible = 0
        bench_rules = _rules_runner()
        if bench_rules is None:
            print("bench: bansos.eligibility.bench_rules not available; rules_s=0")
        else:
            started = time.perf_counter()
            eligible = int(bench_rules())
            rules_s = time.perf_counter() - started

        return result_line("targeting", db=scratch.db, size=size, total_s=score_s + rules_s, score_s=score_s,
                           rules_s=rules_s, eligible=eligible, households=scored["scored"],
                           residents=summary["residents"])
