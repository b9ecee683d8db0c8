"""The security world: the platform's own demo data on a small scale, built once for the package.

The world is created inside one outer transaction that is rolled back when the package's tests end,
so nothing leaks into other test packages. Each test runs in a savepoint (the ``db`` fixture) and so
leaves the data exactly as it found it.
"""

from __future__ import annotations

import pytest

from tests.package_world import package_world
from tests.security.world import build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    with package_world(django_db_blocker, build_world) as built:
        yield built
