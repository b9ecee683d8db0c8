"""Plain multi-row inserts for the import's hot path.

``bulk_create`` builds a model instance per row and compiles every value through the ORM, which
costs more than the rest of the import together at a million rows. These inserts take rows that
the import has already validated, adapt only the values that need it (dates, datetimes, JSON) with
the backend's own adapters (``connection.ops.adapt_*``, what the fields' ``get_db_prep_save``
ends up calling), and send them in one go: ``COPY ... FROM STDIN`` on PostgreSQL (psycopg 3's
``cursor.copy``, in the binary format: the driver packs values in C and the server parses no
text), a prepared ``executemany`` on SQLite. Database defaults, constraints and
unique indexes still apply: a clash raises IntegrityError and rolls the chunk back.

``reserve_ids`` draws primary keys for rows about to be inserted, so that rows pointing at them
can be built before the insert instead of reading the new ids back afterwards, and
``values_among`` looks thousands of keys up with one parameter instead of one per key.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.db.models import QuerySet

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
        self.copy_sql = f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN (FORMAT BINARY)"
        # Binary COPY needs each column's type (varchar(16) -> varchar: the length is checked on input).
        self.copy_types = [f.db_type(connection).partition("(")[0] for f in self.fields] if self.copy else []
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
                    copy.set_types(self.copy_types)
                    write = copy.write_row
                    for row in rows:
                        write(row)
            else:
                cursor.executemany(self.sql, rows)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` unused primary keys of ``model``; call inside the transaction that inserts them.

    PostgreSQL hands them out from the table's identity sequence, which is safe against
    concurrent writers. SQLite has one writer at a time and this connection holds the write
    lock for the whole transaction (``BEGIN IMMEDIATE``, see settings), so the keys after the
    highest one ever used (AUTOINCREMENT's ``sqlite_sequence``) stay free until it commits;
    inserting them moves the sequence on.
    """
    if count <= 0:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("reserve_ids() must run inside the transaction that inserts the rows")
    table = model._meta.db_table
    column = model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"reserve_ids() does not support {connection.vendor}")
        cursor.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max({quote(column)}) FROM {quote(table)}), 0))",
            [table],
        )
        (last,) = cursor.fetchone()
    return list(range(last + 1, last + 1 + count))


def values_among(queryset: QuerySet, field_name: str, keys: Sequence[Any], fields: Sequence[str]) -> list[dict]:
    """``queryset.filter(<field>__in=keys).values(*fields)`` for thousands of keys, sent as one parameter.

    ``__in`` prepares and binds every key on its own (a tenth of the import's look-up time).
    SQLite gets the keys as one JSON list (``json_each``); PostgreSQL as one array in the binary
    format (Django's client-side binding spells it out as text, which costs the driver more
    than the database's look-up does). Either way the column's index is probed per key (see
    index_lookups for PostgreSQL's planner).
    """
    if not keys:
        return []
    opts = queryset.model._meta
    quote = connection.ops.quote_name
    column = f"{quote(opts.db_table)}.{quote(opts.get_field(field_name).column)}"
    queryset = queryset.order_by()
    if connection.vendor == "postgresql":
        import psycopg

        # %b: psycopg binds this parameter in the binary format; the rest of Django's SQL is as compiled.
        query = queryset.extra(where=[f"{column} = ANY(%b)"], params=[list(keys)]).values(*fields).query
        names = list(query.values_select)
        sql, params = query.sql_with_params()
        connection.ensure_connection()
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params)
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if connection.vendor == "sqlite":
        queryset = queryset.extra(where=[f"{column} IN (SELECT value FROM json_each(%s))"], params=[json.dumps(list(keys))])
    else:
        queryset = queryset.filter(**{f"{field_name}__in": keys})
    return list(queryset.values(*fields))


@contextlib.contextmanager
def index_lookups() -> Iterator[None]:
    """Make look-ups of thousands of keys (``values_among``) probe the keys' indexes on PostgreSQL.

    For ``key = ANY(<20,000 keys>)`` PostgreSQL's cost model prefers reading the whole table
    (it prices every index probe as a disk read), and while a bulk load grows a table its
    statistics still describe the small table it was: every chunk of a million-row import read
    the growing registry once per look-up. An index probe per key is what these look-ups need
    at any size, so sequential scans are off for them (SET LOCAL, in a savepoint of the
    caller's transaction, restored on the way out). Callers filter only on columns whose index
    is the one to use. A no-op on SQLite, whose planner probes the index per key already.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
        (before, _off) = cursor.fetchone()
        yield
        # Reached only without an error; after one, rolling the savepoint back undoes the setting.
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])
