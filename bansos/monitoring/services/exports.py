"""Exports leave the platform: each one is recorded (aggregates only, small cells already suppressed)."""

from __future__ import annotations

from django.db import transaction

from bansos.core.audit import audit_log
from bansos.monitoring.access import require_view


@transaction.atomic
def export_record(*, actor, scope: str, key: str, fmt: str, rows: int) -> None:
    """Write the audit event of a monitoring export."""
    require_view(actor)
    audit_log(actor=actor, action="monitoring.export", object_type="monitoring.report",
              object_id=f"{scope}:{key}"[:64], object_label=f"{scope} {key} ({fmt})"[:200],
              changes={"format": fmt, "rows": rows})
