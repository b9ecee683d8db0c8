"""Background work of the monitoring app."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def snapshot_task(period_iso: str | None = None, actor_id: int | None = None) -> int:
    """The monthly snapshot (``period_iso`` YYYY-MM-DD, default this month); returns the rows stored."""
    from bansos.accounts.models import User
    from bansos.monitoring.services import snapshot_run

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    period = dt.date.fromisoformat(period_iso) if period_iso else None
    return snapshot_run(actor=actor, period=period).rows
