"""The security world: the platform's own demo data on a small scale, built once for the package.

The world is created inside one outer transaction that is rolled back when the package's tests end,
so nothing leaks into other test packages. Each test runs in a savepoint (the ``db`` fixture) and so
leaves the data exactly as it found it.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from tests.security.world import build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            # Check the world's deferred foreign keys now, once: left pending in the outer transaction,
            # they would be checked again at the end of every test (Django's TestCase checks constraints
            # on PostgreSQL), which made each test some 60 ms slower there.
            connection.check_constraints()
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
