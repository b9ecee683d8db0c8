"""``import``: import_file over a generated households CSV of N residents (default 1,000,000).

The CSV (5% messy rows) is written before the clock starts; only ``import_file`` is timed.
``peak_rss_mb`` is the peak of the benchmark process (generation included: the generator runs in
constant memory, so the import dominates) plus the peak of the process that parses the file
beside it (``parser_rss_mb``; see bansos.registry.importing.pipeline). The sum is an upper bound
of what the two hold together.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from bench.common import peak_rss_mb, progress_printer, result_line, scratch_database

MESSY_FRACTION = 0.05


def run(size: int) -> str:
    with scratch_database() as scratch:
        from bansos.demo.areas import duri_kepa_create, layout_areas
        from bansos.demo.generator import AVERAGE_MEMBERS, write_households_csv
        from bansos.registry.importing import import_file

        households = max(1, round(size / AVERAGE_MEMBERS))
        duri_kepa_create(households)
        path = Path(scratch.data_dir) / "keluarga.csv"
        print(f"bench: writing {households:,} households (~{size:,} residents) to {path.name}")
        written = write_households_csv(path, households=households, seed=2026, messy_fraction=MESSY_FRACTION,
                                       areas=layout_areas(households))
        print(f"bench: {written.rows:,} rows, {sum(written.messy.values()):,} messy; importing")
        started = time.perf_counter()
        summary = import_file(path=path, actor=None, dry_run=False, report_path=Path(scratch.data_dir) / "report.csv",
                              progress=progress_printer("baris"), rows_total=written.rows)
        total = time.perf_counter() - started
        sys.stderr.write("\n")
        if summary.rows != summary.stored + summary.updated + summary.rejected:
            print(f"bench: WARNING rows {summary.rows} != stored + updated + rejected")
        # ru_maxrss of the children: the largest finished child, here the parsing process (KiB on Linux).
        parser_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return result_line("import", db=scratch.db, size=size, rows_per_s=round(summary.rows / total),
                           peak_rss_mb=round(peak_rss_mb() + parser_mb, 1), stored=summary.stored,
                           rejected=summary.rejected, rows=summary.rows, total_s=total,
                           parser_rss_mb=round(parser_mb, 1))
