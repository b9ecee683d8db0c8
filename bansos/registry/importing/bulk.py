"""Plain multi-row inserts for the import's hot path.

``bulk_create`` builds a model instance per row and compiles every value through the ORM, which
costs more than the rest of the import together at a million rows. These inserts take rows that
the import has already validated, adapt only the values that need it (dates, datetimes, JSON) with
the backend's own adapters (``connection.ops.adapt_*``, what the fields' ``get_db_prep_save``
ends up calling), and send them in one go: ``COPY ... FROM STDIN`` on PostgreSQL (psycopg 3's
``cursor.copy``), a prepared ``executemany`` on SQLite. Database defaults, constraints and
unique indexes still apply: a clash raises IntegrityError and rolls the chunk back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

# Distinct dates seen per inserter (birth dates, the chunk's timestamp); bounded so memory stays flat.
_ADAPTED_LIMIT = 50_000


class Inserter:
    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        opts = model._meta
        self.fields = [opts.get_field(name) for name in fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.copy = connection.vendor == "postgresql"
        self.sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({marks})"
        self.copy_sql = f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN"
        ops = connection.ops
        # (column, adapter, memo of adapted values or None when values do not repeat)
        self.prepare: list[tuple[int, Any, dict[Any, Any] | None]] = []
        for index, field in enumerate(self.fields):
            if isinstance(field, models.DateTimeField):
                self.prepare.append((index, ops.adapt_datetimefield_value, {}))
            elif isinstance(field, models.DateField):
                self.prepare.append((index, ops.adapt_datefield_value, {}))
            elif isinstance(field, models.JSONField):
                encoder = field.encoder
                self.prepare.append((index, lambda value, encoder=encoder: ops.adapt_json_value(value, encoder), None))

    def insert(self, rows: list[list[Any]]) -> None:
        if not rows:
            return
        for index, adapt, adapted in self.prepare:
            if adapted is not None and len(adapted) > _ADAPTED_LIMIT:
                adapted.clear()
            for row in rows:
                value = row[index]
                if value is None:
                    continue
                if adapted is not None:
                    # Dates repeat (birth dates, the chunk's timestamp): adapt each distinct one once.
                    out = adapted.get(value)
                    if out is None:
                        out = adapted[value] = adapt(value)
                    row[index] = out
                else:
                    row[index] = adapt(value)
        with connection.cursor() as cursor:
            if self.copy:
                # The driver's own cursor (Django's wrapper has no copy()), with Django's error
                # mapping kept so that a unique clash still arrives as django.db.IntegrityError.
                with connection.wrap_database_errors, cursor.cursor.copy(self.copy_sql) as copy:
                    write = copy.write_row
                    for row in rows:
                        write(row)
            else:
                cursor.executemany(self.sql, rows)
