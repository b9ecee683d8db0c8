"""Set-based writes that Django's ORM has no word for, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models

_CHUNK = 20_000


def update_from_rows(model: type[models.Model], rows: Sequence[Sequence[Any]], *, types: Sequence[str],
                     set_sql: str, set_params: Sequence[Any] = (), where_sql: str = "",
                     where_params: Sequence[Any] = ()) -> int:
    """``UPDATE <table> SET ... FROM (rows) v WHERE <table>.id = v.c0 [AND where]``; returns rows changed.

    Each row is (primary key, value 1, value 2, ...); ``types`` names their PostgreSQL types
    ("bigint", "date", "text"), the key's first. In ``set_sql`` and ``where_sql`` the values are
    ``v.c1``, ``v.c2``, ... and the table is ``{t}``. The rows travel as one array per column
    (PostgreSQL's unnest) or one JSON parameter (SQLite's json_each), so a statement covers
    thousands of rows with different values, where ``pk__in`` chunks need one UPDATE per value.
    Keys must be unique within ``rows``.
    """
    if not rows:
        return 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [f"c{i}" for i in range(len(types))]
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        source = f"unnest({arrays}) AS v ({', '.join(names)})"
    else:
        picks = ", ".join(f"value ->> {i} AS {name}" for i, name in enumerate(names))
        source = f"(SELECT {picks} FROM json_each(%s)) AS v"
    sql = (f"UPDATE {table} SET {set_sql.format(t=table)} FROM {source} "
           f"WHERE {table}.{quote(model._meta.pk.column)} = v.c0")
    if where_sql:
        sql += f" AND {where_sql.format(t=table)}"
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start:start + _CHUNK]
            if connection.vendor == "postgresql":
                values = [[row[i] for row in chunk] for i in range(len(types))]
            else:
                values = [json.dumps([[_plain(v) for v in row] for row in chunk])]
            cursor.execute(sql, [*set_params, *values, *where_params])
            changed += cursor.rowcount
    return changed


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
