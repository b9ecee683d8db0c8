"""Background tasks of the welfare ranking."""

from __future__ import annotations

from django_tasks import task

from bansos.core.workers import register_abandoned_handler, resume_or


@task()
def welfare_run_task(run_id: int) -> None:
    """Rescore every active household (see welfare.services.welfare_run_execute)."""
    from bansos.welfare.services import welfare_run_execute

    welfare_run_execute(run_id)


def _run_abandoned(abandoned) -> None:
    from django.utils import timezone

    from bansos.welfare.models import RunStatus, WelfareRun

    run_id = abandoned.args[0] if abandoned.args else abandoned.kwargs.get("run_id")
    WelfareRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, finished_at=timezone.now(),
                                                error="worker stopped")


# Rescoring writes every score in one transaction: a killed worker wrote nothing, so the run is repeated.
register_abandoned_handler(f"{__name__}.welfare_run_task", resume_or(_run_abandoned))
