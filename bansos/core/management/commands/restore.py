"""bansos restore FILE [--yes]: verify a backup, then replace the database and the uploaded files with it."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bansos.core.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = ("Restore a backup made by `bansos backup`: verify its checksums and manifest, refuse one from "
            "another database vendor or a newer platform, replace the database and the uploaded files, "
            "then compare the row count of every table with the manifest.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file: Path, yes: bool, **options):
        with tempfile.TemporaryDirectory(prefix="bansos-restore-") as folder:
            try:
                verified = verify_backup(file, Path(folder))
            except BackupError as exc:
                raise CommandError(f"restore refused, nothing was changed: {exc}", returncode=2) from None
            manifest = verified.manifest
            self.stdout.write(f"backup {file}: made {manifest['created_at']} by platform "
                              f"{manifest['platform_version']}, {manifest['database_vendor']}, "
                              f"{verified.total_rows} rows in {len(manifest['tables'])} tables, "
                              f"{len(manifest['members']) - 1} uploaded files; checksums OK")
            if not yes:
                if not sys.stdin.isatty():
                    raise CommandError("restore refused, nothing was changed: pass --yes to restore "
                                       "without a terminal to confirm in", returncode=2)
                answer = input("This REPLACES the current database and uploaded files. Type 'yes' to go on: ")
                if answer.strip().lower() != "yes":
                    raise CommandError("restore cancelled, nothing was changed", returncode=1)
            try:
                result = restore_backup(verified)
            except BackupError as exc:
                raise CommandError(f"restore failed: {exc}", returncode=2) from None
        if result.ok:
            self.stdout.write(self.style.SUCCESS(
                f"restored: every table holds the row count of the manifest ({verified.total_rows} rows), "
                f"{result.files} uploaded files"))
        else:
            self.stdout.write(self.style.ERROR("restored, but these tables differ from the manifest:"))
            for table, (expected, now) in sorted(result.mismatched.items()):
                self.stdout.write(f"  {table}: {expected} in the backup, {now} now")
        if result.extra_tables:
            self.stdout.write(self.style.WARNING(
                "tables not in the backup were left as they are: " + ", ".join(result.extra_tables)))
        if result.pending_migrations:
            self.stdout.write(self.style.WARNING(
                "the backup is older than this platform; run `bansos migrate` now "
                f"({len(result.pending_migrations)} apps behind)"))
        if not result.ok:
            raise CommandError("restore finished with differences (see above)", returncode=1)
