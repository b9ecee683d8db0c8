"""``bansos grievances-escalate``: escalate grievances past their deadline and close unanswered resolutions.

Idempotent: run it from cron (e.g. every hour) or let the worker run the task of the same name; a second
run finds nothing new to do. ``--now`` (ISO date-time) runs it as of another moment, for checks and drills.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Escalate grievances whose service-level deadline passed to the kelurahan admin (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="run as of this ISO date-time (default: now)")

    def handle(self, *args, **options):
        from bansos.core.origin import origin
        from bansos.grievances.services import grievances_escalate

        now = None
        if options.get("now"):
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now: not an ISO date-time: {options['now']}") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        with origin(channel="cli", command="grievances-escalate"):
            counts = grievances_escalate(now=now)
        self.stdout.write(
            f"Eskalasi tanggapan pertama: {counts['response']}, eskalasi penyelesaian: {counts['resolution']}, "
            f"ditutup otomatis: {counts['closed']}.")
