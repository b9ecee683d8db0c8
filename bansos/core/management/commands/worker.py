"""``bansos worker``: the database task worker, which first recovers tasks that a dead worker abandoned."""

from __future__ import annotations

import logging
import threading

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from bansos.core.workers import recover_abandoned, this_worker_id

RECOVERY_INTERVAL_S = 60.0
logger = logging.getLogger(__name__)


class Command(DbWorkerCommand):
    help = "Run the background task worker (imports, rule runs, deliveries, ...)"

    def handle(self, *args, **options):
        # The id names this process, so another worker can tell later whether it is still alive.
        options["worker_id"] = this_worker_id()
        for task_path, outcome in recover_abandoned():
            self.stdout.write(f"Tugas yang terhenti karena pekerja mati: {task_path}: {outcome}")
        stop = threading.Event()

        def watch() -> None:  # workers beside this one on the host may die while it runs
            from django.db import connection

            while not stop.wait(RECOVERY_INTERVAL_S):
                try:
                    recover_abandoned()
                except Exception:  # noqa: BLE001 - a failed check must not stop the worker; the next one retries
                    logger.exception("recovering abandoned tasks failed")
                finally:
                    connection.close()  # this thread's own connection

        threading.Thread(target=watch, name="task-recovery", daemon=True).start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
