"""Background tasks of the registry."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_run(job_id: int) -> None:
    """Run an uploaded households import (see registry.importing.jobs)."""
    from bansos.registry.importing.jobs import import_job_execute

    import_job_execute(job_id)
