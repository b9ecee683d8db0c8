"""Background workers that die mid-task (SIGKILL, power loss, OOM killer) leave no job hanging.

A worker names itself ``<host>:<pid>:<process start time>`` when it starts. A task result still marked
running whose worker was on this host and is gone (no such process, or the pid now belongs to another
process started later) has been abandoned: the next worker to start on the host (and every running
worker, once a minute) marks it failed with ``WorkerDied`` and hands it to the handler its task
registered here. Handlers of tasks whose work is idempotent enqueue the task again, so the job resumes;
the others mark the domain job failed with a message for the user. Each job's own transactions make
sure a killed worker left no half-written rows (see the tests in ``tests/security/test_crash_safety.py``).

Workers on other hosts cannot be checked from here: with several hosts, give each its own queue or run
the recovery (``bansos worker`` start-up) on each host.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_RESUMES = 3  # a task abandoned this many times is not resumed again (it may be what kills the worker)


class WorkerDied(Exception):
    """Stored as the failure of a task whose worker process vanished while running it."""


@dataclass(frozen=True)
class Abandoned:
    task_path: str
    args: list
    kwargs: dict
    attempts: int  # how many times this task with these arguments has been abandoned, this one included


# task path -> handler(Abandoned) -> "resumed" | "failed"
_HANDLERS: dict[str, Callable[[Abandoned], str]] = {}


def register_abandoned_handler(task_path: str, handler: Callable[[Abandoned], str]) -> None:
    _HANDLERS[task_path] = handler


def resume(abandoned: Abandoned) -> str:
    """The handler of idempotent tasks: run it again with the same arguments."""
    from django.utils.module_loading import import_string

    import_string(abandoned.task_path).enqueue(*abandoned.args, **abandoned.kwargs)
    return "resumed"


def resume_or(fail: Callable[[Abandoned], None]) -> Callable[[Abandoned], str]:
    """Resume up to MAX_RESUMES times, then call ``fail`` (which marks the domain job failed)."""

    def handler(abandoned: Abandoned) -> str:
        if abandoned.attempts <= MAX_RESUMES:
            return resume(abandoned)
        fail(abandoned)
        return "failed"

    return handler


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid apart."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            stat = handle.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def this_worker_id() -> str:
    host = socket.gethostname()[:30]
    pid = os.getpid()
    return f"{host}:{pid}:{_start_ticks(pid) or '0'}"[:64]


def _is_gone(worker_id: str) -> bool:
    """True when the worker was on this host and its process no longer runs; False when alive or unknown."""
    parts = worker_id.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname()[:30] or not parts[1].isdigit():
        return False
    pid, ticks = int(parts[1]), parts[2]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # a process of another user has that pid: compare start times below
    now_ticks = _start_ticks(pid)
    if now_ticks is None:
        return not os.path.exists(f"/proc/{pid}") and os.path.exists("/proc/self")
    return ticks != "0" and now_ticks != ticks


def recover_abandoned() -> list[tuple[str, str]]:
    """Fail every abandoned task result of this host and hand it to its handler; returns (task, outcome)."""
    from django.utils.module_loading import autodiscover_modules
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    autodiscover_modules("tasks")  # each app's tasks module registers its handlers
    done = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("pk", "worker_ids")
    for candidate in list(running):
        if not candidate.worker_ids or not _is_gone(candidate.worker_ids[-1]):
            continue
        with transaction.atomic():
            result = DBTaskResult.objects.select_for_update().filter(
                pk=candidate.pk, status=TaskResultStatus.RUNNING).first()
            if result is None:
                continue  # another worker recovered it first
            result.status = TaskResultStatus.FAILED
            result.finished_at = timezone.now()
            result.exception_class_path = f"{WorkerDied.__module__}.{WorkerDied.__qualname__}"
            result.traceback = f"WorkerDied: worker {result.worker_ids[-1]} stopped while running this task"
            result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            args_kwargs = result.args_kwargs or {}
            attempts = sum(
                1 for other in DBTaskResult.objects.filter(
                    task_path=result.task_path, exception_class_path=result.exception_class_path)
                .only("args_kwargs")
                if other.args_kwargs == args_kwargs
            )
            abandoned = Abandoned(result.task_path, list(args_kwargs.get("args") or []),
                                  dict(args_kwargs.get("kwargs") or {}), attempts)
            handler = _HANDLERS.get(result.task_path)
            outcome = handler(abandoned) if handler else "failed"
        logger.warning("task %s (%s) abandoned by %s: %s", result.pk, result.task_path, result.worker_ids[-1],
                       outcome)
        done.append((result.task_path, outcome))
    return done
