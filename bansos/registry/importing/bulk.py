"""Plain multi-row inserts for the import's hot path.

``bulk_create`` builds a model instance per row and compiles every value through the ORM, which
costs more than the rest of the import together at a million rows. These inserts take rows that
the import has already validated, adapt only the values that need it (dates, datetimes, JSON) with
the field's own ``get_db_prep_save``, and hand them to the driver's ``executemany`` (a pipeline
on psycopg 3, a prepared statement on SQLite). Database defaults and constraints still apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


class Inserter:
    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        opts = model._meta
        self.fields = [opts.get_field(name) for name in fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({marks})"
        self.prepare = [
            (index, field, isinstance(field, models.DateField))  # DateTimeField is a DateField
            for index, field in enumerate(self.fields)
            if isinstance(field, (models.DateField, models.JSONField))
        ]

    def insert(self, rows: list[list[Any]]) -> None:
        if not rows:
            return
        for index, field, repeats in self.prepare:
            prep = field.get_db_prep_save
            # Dates repeat (birth dates, the chunk's timestamp): adapt each distinct one once.
            seen: dict[Any, Any] = {}
            for row in rows:
                value = row[index]
                if value is None:
                    continue
                if repeats:
                    adapted = seen.get(value)
                    if adapted is None:
                        adapted = seen[value] = prep(value, connection)
                    row[index] = adapted
                else:
                    row[index] = prep(value, connection)
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)
