"""manage.py import_households FILE [--dry-run] [--report REPORT.csv] [--user USERNAME]"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bansos.core.errors import DomainError
from bansos.core.origin import origin
from bansos.registry.importing import count_rows, import_file


class Command(BaseCommand):
    help = "Import households with their residents from a CSV or XLSX file (one row per resident)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, store nothing")
        parser.add_argument("--report", type=Path, help="write the per-row report to this CSV file")
        parser.add_argument("--user", help="act as this user (needs registry.import); default: the system")

    def handle(self, *args, file: Path, dry_run: bool, report: Path | None, user: str | None, **options):
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user named {user!r}", returncode=2) from None
        if not file.is_file():
            self.stderr.write(f"cannot read {file}: no such file")
            sys.exit(2)
        total = count_rows(file)
        started = time.monotonic()
        err = self.stderr._out

        def progress(done: int, _total: int | None) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            shown_total = f"{total:,}" if total is not None else "?"
            err.write(f"\r{done:,}/{shown_total} baris ({rate:,.0f} baris/dtk)".replace(",", "."))
            err.flush()

        try:
            with origin(channel="cli", command="import_households"):
                summary = import_file(path=file, actor=actor, dry_run=dry_run, report_path=report,
                                      progress=progress, rows_total=total)
        except DomainError as exc:
            err.write("\n")
            self.stderr.write(f"berkas tidak dapat diimpor: {exc.text}")
            sys.exit(2)
        elapsed = time.monotonic() - started
        err.write("\n")
        mode = "UJI COBA, tidak ada yang disimpan: " if dry_run else ""
        self.stdout.write(
            f"{mode}{summary.rows} baris: {summary.stored} disimpan, {summary.updated} diperbarui "
            f"({summary.unchanged} tanpa perubahan), {summary.rejected} ditolak; "
            f"{summary.households_created} keluarga baru, {summary.households_updated} keluarga diperbarui; "
            f"{summary.skipped_blank} baris kosong dilewati; {elapsed:.1f} dtk"
        )
        if summary.ignored_columns:
            self.stdout.write("kolom diabaikan: " + ", ".join(summary.ignored_columns))
        if report:
            self.stdout.write(f"laporan: {report}")
