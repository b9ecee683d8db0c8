"""Background tasks of the kemandirian index."""

from __future__ import annotations

from django_tasks import task

from bansos.core.workers import register_abandoned_handler, resume_or


@task()
def index_run_task(run_id: int) -> None:
    """Compute the run's months and propose graduations (see services.index.index_run_execute)."""
    from bansos.selfreliance.services.index import index_run_execute

    index_run_execute(run_id)


def _run_abandoned(abandoned) -> None:
    from django.utils import timezone

    from bansos.selfreliance.models import IndexRun

    run_id = abandoned.args[0] if abandoned.args else abandoned.kwargs.get("run_id")
    IndexRun.objects.filter(pk=run_id).update(status=IndexRun.Status.FAILED, finished_at=timezone.now(),
                                              error="worker stopped")


# Each month is replaced in its own transaction and recomputing a month is idempotent: a killed
# worker's run is simply repeated.
register_abandoned_handler(f"{__name__}.index_run_task", resume_or(_run_abandoned))
