"""Background work of the grievances app: the escalation run (cron or the worker enqueues it, e.g. hourly)."""

from __future__ import annotations

from django_tasks import task


@task()
def grievances_escalate_task() -> dict[str, int]:
    from bansos.core.origin import origin
    from bansos.grievances.services import grievances_escalate

    with origin(channel="task", command="grievances-escalate"):
        return grievances_escalate()
