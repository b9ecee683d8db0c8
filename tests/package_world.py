"""Data built once for a test package and thrown away when the package's tests end.

The data is built inside one outer transaction that is rolled back at the end; each test then runs
in a savepoint (the ``db`` fixture), so it leaves the data exactly as it found it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import connection, transaction

T = TypeVar("T")


@contextmanager
def package_world(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build()
            # Check the world's deferred foreign keys now, once: left pending in the outer transaction,
            # they would be checked again at the end of every test (Django's TestCase checks constraints
            # on PostgreSQL), some 60 ms a test there.
            connection.check_constraints()
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
