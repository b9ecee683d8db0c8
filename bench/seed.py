"""``seed``: how long demo_seed takes to fill an empty registry with N households (default 20,000)."""

from __future__ import annotations

import sys
import time

from bench.common import progress_printer, result_line, scratch_database


def run(size: int) -> str:
    with scratch_database() as scratch:
        from bansos.demo.services import demo_seed

        started = time.perf_counter()
        summary = demo_seed(households=size, seed=2026, progress=progress_printer("keluarga"))
        total = time.perf_counter() - started
        sys.stderr.write("\n")
        return result_line("seed", db=scratch.db, size=size, total_s=total,
                           households=summary["households"], residents=summary["residents"])
