"""bansos backup [--output FILE]: the database and the uploaded files in one verified archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bansos.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Back up the database (SQLite online copy or pg_dump) and the uploaded files into one tar.gz "
            "with a manifest of row counts, migration state and checksums.")

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None,
                            help="archive to write (default: backups/bansos-backup-<time>.tar.gz "
                                 "in the data dir)")

    def handle(self, *args, output: Path | None, **options):
        try:
            result = create_backup(output)
        except BackupError as exc:
            raise CommandError(f"backup failed: {exc}", returncode=2) from None
        manifest = result.manifest
        self.stdout.write(self.style.SUCCESS(f"backup written to {result.path}"))
        self.stdout.write(f"  {manifest['database_vendor']} database, {len(manifest['tables'])} tables, "
                          f"{result.total_rows} rows, {len(manifest['members']) - 1} uploaded files")
