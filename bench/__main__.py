"""``python -m bench NAME [--size N]`` and ``python -m bench --list``."""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, default size, what it measures)
BENCHES = {
    "seed": ("bench.seed", 20_000, "demo_seed of N households into an empty registry (total_s)"),
    "import": ("bench.import_bench", 1_000_000,
               "import_file of a generated households CSV of N residents (rows_per_s, peak_rss_mb)"),
    "search": ("bench.search", 1_000_000,
               "household search and household pages over HTTP with N residents loaded (p50_ms, p95_ms)"),
    "meetings": ("bench.meetings", 20_000,
                 "needs page aggregation over demo musyawarah of N households (p50_ms, p95_ms, queries)"),
    "targeting": ("bench.targeting", 1_000_000,
                  "welfare scoring + deciles, then five programs' eligibility rules, N residents (score_s, rules_s)"),
    "explain": ("bench.explain", 1_000_000,
                "single-household explanation of five eligibility rules, N residents loaded (p50_ms, p95_ms)"),
    "surveys": ("bench.surveys", 20_000,
                "survey round progress per RW and needs per RW with N households surveyed (p50_ms, p95_ms)"),
    "enroll": ("bench.enroll", 100_000, "bulk apply, verify, approve of N eligible households (total_s, approved)"),
    "overlap": ("bench.overlap", 1_000_000, "coordination page's figures, 20 programs, N residents (total_s)"),
    "cash_cycle": ("bench.cash_cycle", 100_000,
                   "cash cycle of N households: generate, approve, batch, CSV file, reconcile 2% failed (total_s)"),
    "attendance": ("bench.attendance", 600,
                   "N attendance taps on a 30-person session's phone page under GET load from a second process "
                   "(p50_ms, p95_ms, errors)"),
    "linkage": ("bench.linkage", 1_000_000,
                "Splink deduplication of N residents with ~5% planted corrupted duplicates (precision, recall, f1, total_s)"),
    "agency_list": ("bench.agency_list", 1_000_000,
                    "link an agency list of N/20 rows (70% registry residents corrupted) to N residents "
                    "(total_s, linked, review, new, precision, recall)"),
    "growth": ("bench.growth", 100_000, "WHO z-scores and Permenkes classifications of N posyandu visits (total_s)"),
    "load": ("bench.load", 1_000_000,
             "200 simulated users for 2 minutes on staff pages, the API and the portal, N residents "
             "(rps, p50_ms, p95_ms, p99_ms, errors)"),
    "snapshot": ("bench.snapshot", 1_000_000,
                 "monthly snapshot of every default indicator and breakdown, N residents (total_s, indicators)"),
    "dashboard": ("bench.dashboard", 1_000_000,
                  "monitoring overview and RW pages over HTTP from stored snapshots, N residents (p50_ms, p95_ms)"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run one benchmark and print its figures.")
    parser.add_argument("name", nargs="?", choices=sorted(BENCHES), help="benchmark to run")
    parser.add_argument("--size", type=int, help="data size (see --list for what it counts)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args(argv)
    if args.list or not args.name:
        for name, (_module, size, text) in BENCHES.items():
            print(f"{name:<10} default size {size:>9,}  {text}")
        return 0 if args.list else 2
    module_name, default_size, _text = BENCHES[args.name]
    size = args.size or default_size
    if size < 1:
        parser.error("--size must be at least 1")
    module = importlib.import_module(module_name)
    print(module.run(size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
