"""Background delivery of queued messages (the worker runs it after every ``notify`` that queues one)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_due_task() -> int:
    from bansos.notifications.delivery import deliver_due

    return deliver_due()
