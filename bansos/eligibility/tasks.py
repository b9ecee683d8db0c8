"""Background tasks of the eligibility rules."""

from __future__ import annotations

from django_tasks import task

from bansos.core.workers import register_abandoned_handler, resume_or


@task()
def rule_run_task(run_id: int) -> None:
    """Evaluate one queued rule run over the registry (see eligibility.services.rule_run_execute)."""
    from bansos.eligibility.services import rule_run_execute

    rule_run_execute(run_id)


def _run_abandoned(abandoned) -> None:
    from django.utils import timezone

    from bansos.eligibility.models import RuleRun, RuleRunMember, RunStatus
    from bansos.eligibility.services import MSG_RUN_FAILED

    run_id = abandoned.args[0] if abandoned.args else abandoned.kwargs.get("run_id")
    RuleRunMember.objects.filter(run_id=run_id).delete()
    RuleRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=str(MSG_RUN_FAILED),
                                             finished_at=timezone.now(), stored=0)


# A run starts clean (its earlier members are deleted first), so a killed worker's run is run again.
register_abandoned_handler(f"{__name__}.rule_run_task", resume_or(_run_abandoned))
