"""``bansos monitoring-snapshot [--month YYYY-MM]``: store every indicator of a month (default: this month).

Run it monthly (cron or a systemd timer) or let the worker run ``monitoring.tasks.snapshot_task``;
re-running a month replaces it. ``--back N`` back-fills the N months before too.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from bansos.core.errors import DomainError
from bansos.core.origin import origin


class Command(BaseCommand):
    help = "Compute the monthly snapshot of every active indicator (replaces that month)."

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="YYYY-MM (default: this month)")
        parser.add_argument("--back", type=int, default=0, help="also back-fill this many earlier months")

    def handle(self, *args, month: str, back: int, **options):
        from bansos.monitoring.services import snapshot_run
        from bansos.monitoring.services.snapshots import month_start, parse_month

        from django.utils import timezone

        try:
            period = parse_month(month) if month else month_start(timezone.localdate())
        except DomainError as exc:
            raise CommandError(exc.text) from None

        def show(done: int, total: int) -> None:
            if options["verbosity"]:
                sys.stderr.write(f"\r  indikator: {done}/{total}")
                sys.stderr.flush()

        with origin(channel="cli", command="monitoring-snapshot"):
            for n in range(back, -1, -1):
                index = period.year * 12 + period.month - 1 - n
                this = period.replace(year=index // 12, month=index % 12 + 1)
                try:
                    snap = snapshot_run(actor=None, period=this, progress=show)
                except DomainError as exc:
                    raise CommandError(exc.text) from None
                if options["verbosity"]:
                    sys.stderr.write("\n")
                self.stdout.write(f"Potret {snap}: {snap.indicators} indikator, {snap.rows} angka, "
                                  f"{snap.seconds:.1f} detik.")
