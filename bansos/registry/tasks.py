"""Background tasks of the registry."""

from __future__ import annotations

from django_tasks import task

from bansos.core.workers import register_abandoned_handler, resume_or


@task()
def import_job_run(job_id: int) -> None:
    """Run an uploaded households import (see registry.importing.jobs)."""
    from bansos.registry.importing.jobs import import_job_execute

    import_job_execute(job_id)


def _import_abandoned(abandoned) -> None:
    from django.utils import timezone

    from bansos.registry.importing.jobs import MSG_FAILED
    from bansos.registry.models import ImportJob, ImportStatus

    job_id = abandoned.args[0] if abandoned.args else abandoned.kwargs.get("job_id")
    ImportJob.objects.filter(pk=job_id, status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)).update(
        status=ImportStatus.FAILED, error=str(MSG_FAILED), finished_at=timezone.now())


# An import is idempotent (rows already stored come back "unchanged") and commits whole households per
# chunk, so a killed worker's import resumes from the start of the file.
register_abandoned_handler(f"{__name__}.import_job_run", resume_or(_import_abandoned))
