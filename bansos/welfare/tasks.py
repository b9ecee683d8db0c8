"""Background tasks of the welfare ranking."""

from __future__ import annotations

from django_tasks import task


@task()
def welfare_run_task(run_id: int) -> None:
    """Rescore every active household (see welfare.services.welfare_run_execute)."""
    from bansos.welfare.services import welfare_run_execute

    welfare_run_execute(run_id)
