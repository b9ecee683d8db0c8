"""Background tasks of the linkage app."""

from __future__ import annotations

from django_tasks import task

from bansos.core.workers import register_abandoned_handler


@task()
def linkage_run_task(run_id: int) -> None:
    """Run a registry deduplication (see linkage.services.runs)."""
    from bansos.linkage.services.runs import linkage_run_execute

    linkage_run_execute(run_id)


@task()
def agency_list_task(list_id: int) -> None:
    """Link an agency's list to the registry (see linkage.services.lists)."""
    from bansos.linkage.services.lists import agency_list_execute

    agency_list_execute(list_id)


def _abandoned(abandoned) -> None:
    from django.utils import timezone

    from bansos.linkage.models import LinkageRun, RunStatus
    from bansos.linkage.services.runs import MSG_FAILED

    run_id = abandoned.args[0] if abandoned.args else abandoned.kwargs.get("run_id")
    LinkageRun.objects.filter(pk=run_id, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).update(
        status=RunStatus.FAILED, error=str(MSG_FAILED), finished_at=timezone.now())
    return "failed"


def _list_abandoned(abandoned) -> None:
    from django.utils import timezone

    from bansos.linkage.models import AgencyList, ListStatus
    from bansos.linkage.services.lists import MSG_LIST_FAILED

    list_id = abandoned.args[0] if abandoned.args else abandoned.kwargs.get("list_id")
    AgencyList.objects.filter(pk=list_id, status__in=(ListStatus.QUEUED, ListStatus.RUNNING)).update(
        status=ListStatus.FAILED, error=str(MSG_LIST_FAILED), finished_at=timezone.now())
    return "failed"


# A run writes its pairs in one transaction at the end: a killed worker's run stored nothing.
register_abandoned_handler(f"{__name__}.linkage_run_task", _abandoned)
# A list stores its rows in one transaction at the end; a failed list may be mapped and run again.
register_abandoned_handler(f"{__name__}.agency_list_task", _list_abandoned)
