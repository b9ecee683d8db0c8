"""Background tasks of the eligibility rules."""

from __future__ import annotations

from django_tasks import task


@task()
def rule_run_task(run_id: int) -> None:
    """Evaluate one queued rule run over the registry (see eligibility.services.rule_run_execute)."""
    from bansos.eligibility.services import rule_run_execute

    rule_run_execute(run_id)
