"""Write audit events. Services call these inside their own transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone

from bansos.core.models import AuditEvent
from bansos.core.origin import current_origin


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Plain values of ``fields`` on ``instance``, foreign keys as their text."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def build_event(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    household_id: int | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """An unsaved audit event (for bulk writers such as the import)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:200]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:200],
        household_id=household_id,
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        reason=reason or "",
        origin=current_origin(),
    )


# The columns written for each bulk audit event (the others are null).
_BULK_COLUMNS = ("created_at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_label",
                 "household_id", "changes", "reason", "origin")
_BULK_BATCH = 2000


def bulk_audit(
    *, actor, action: str, object_type: str, rows: list[tuple[int, int]], changes: dict[str, Any], reason: str = ""
) -> None:
    """One audit event per (object id, household id) pair, written by one INSERT ... SELECT per batch.

    For steps that change thousands of objects the same way (bulk approval, a payment result file):
    the shared values are bound once and the pairs arrive as one array (PostgreSQL's unnest) or JSON
    (SQLite's json_each) parameter, so no model instance or JSON encoding is built per row and each
    household's history stays complete.
    """
    if not rows:
        return
    event = build_event(actor=actor, action=action, object_type=object_type, changes=changes, reason=reason)
    ops = connection.ops
    encoder = AuditEvent._meta.get_field("changes").encoder
    quote = ops.quote_name
    columns = ", ".join(quote(AuditEvent._meta.get_field(name).column) for name in _BULK_COLUMNS)
    shared = [ops.adapt_datetimefield_value(timezone.now()), event.actor_id, event.actor_name, action,
              object_type, ops.adapt_json_value(event.changes, encoder), event.reason,
              ops.adapt_json_value(event.origin, encoder)]
    if connection.vendor == "postgresql":
        pairs = "SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS p (oid, hid)"
    else:
        pairs = "SELECT value ->> 0 AS oid, value ->> 1 AS hid FROM json_each(%s)"
    sql = (f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "
           f"SELECT %s, %s, %s, %s, %s, CAST(p.oid AS TEXT), '', p.hid, %s, %s, %s FROM ({pairs}) p")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BULK_BATCH):
            batch = [(int(oid), hid) for oid, hid in rows[start:start + _BULK_BATCH]]
            if connection.vendor == "postgresql":
                params = [[oid for oid, _hid in batch], [hid for _oid, hid in batch]]
            else:
                params = [json.dumps(batch)]
            cursor.execute(sql, [*shared, *params])


def audit_log(**kwargs: Any) -> AuditEvent:
    """Write one audit event now (call inside the service's transaction)."""
    event = build_event(**kwargs)
    event.save()
    return event


# Human labels of action codes, for history pages. Each app registers its own in AppConfig.ready().
_ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    _ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    return str(_ACTION_LABELS.get(code, code))
