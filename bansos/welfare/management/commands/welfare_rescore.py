"""``manage.py welfare_rescore``: score and rank every active household with the published model."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from bansos.core.origin import origin


class Command(BaseCommand):
    help = "Score every active household with the published welfare model and rank them into deciles 1-10."

    def handle(self, *args, **options):
        from bansos.welfare.services import welfare_rescore_all

        def show(done: int, total: int) -> None:
            sys.stderr.write(f"\r  skor: {done:,}/{total:,} ({done * 100 // max(total, 1)}%)")
            sys.stderr.flush()

        started = time.monotonic()
        with origin(channel="cli"):
            summary = welfare_rescore_all(actor=None, progress=show if options["verbosity"] else None)
        if options["verbosity"]:
            sys.stderr.write("\n")
        self.stdout.write(
            f"{summary['scored']} keluarga dinilai dengan model v{summary['model_version']} "
            f"dalam {time.monotonic() - started:.1f} detik."
        )
