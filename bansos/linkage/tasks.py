"""Background tasks of the linkage app."""

from __future__ import annotations

from django_tasks import task

from bansos.core.workers import register_abandoned_handler


@task()
def linkage_run_task(run_id: int) -> None:
    """Run a registry deduplication (see linkage.services.runs)."""
    from bansos.linkage.services.runs import linkage_run_execute

    linkage_run_execute(run_id)


def _abandoned(abandoned) -> None:
    from django.utils import timezone

    from bansos.linkage.models import LinkageRun, RunStatus
    from bansos.linkage.services.runs import MSG_FAILED

    run_id = abandoned.args[0] if abandoned.args else abandoned.kwargs.get("run_id")
    LinkageRun.objects.filter(pk=run_id, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).update(
        status=RunStatus.FAILED, error=str(MSG_FAILED), finished_at=timezone.now())
    return "failed"


# A run writes its pairs in one transaction at the end: a killed worker's run stored nothing.
register_abandoned_handler(f"{__name__}.linkage_run_task", _abandoned)
