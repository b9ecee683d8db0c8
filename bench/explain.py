"""``explain``: single-household explanation of five program rules, N residents loaded.

Loading (demo seed fast path) and welfare scoring (``welfare_rescore_all``, when the welfare app
offers it) are not timed. Each sample is one household drawn at random (seed 2026): its facts
loaded and the five benchmark rules explained predicate by predicate, as the explanation page and
the household panel do. Keys: ``p50_ms``, ``p95_ms`` over 200 households.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from bench.common import progress_printer, result_line, scratch_database

SAMPLES = 200


def run(size: int) -> str:
    with scratch_database() as scratch:
        from django.db.models import Max, Min
        from django.utils import timezone

        from bansos.demo.generator import AVERAGE_MEMBERS
        from bansos.demo.services import demo_seed
        from bansos.eligibility import engine
        from bansos.eligibility.bench import bench_expressions
        from bansos.registry.models import Household

        households = max(1, round(size / AVERAGE_MEMBERS))
        print(f"bench: loading {households:,} households (~{size:,} residents)")
        demo_seed(households=households, seed=2026, progress=progress_printer("keluarga"))
        sys.stderr.write("\n")
        try:
            from bansos.welfare.services import welfare_rescore_all
        except ImportError:
            print("bench: no welfare_rescore_all; decile predicates explain as 'belum ada skor'")
        else:
            welfare_rescore_all(actor=None, progress=progress_printer("skor"))
            sys.stderr.write("\n")

        expressions = bench_expressions(5)
        reference = timezone.localdate()
        bounds = Household.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
        rng = random.Random(2026)
        ids = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(SAMPLES)]
        timings = []
        met = 0
        for household_id in ids:
            started = time.perf_counter()
            facts = engine.facts_load(household_id, reference)
            results = [engine.explain(expression, facts) for expression in expressions]
            timings.append((time.perf_counter() - started) * 1000)
            met += sum(1 for r in results if r["met"])
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
        return result_line("explain", db=scratch.db, size=size, p50_ms=statistics.median(timings), p95_ms=p95,
                           samples=len(timings), rules_met=met)
