"""Declared authorization rules of the selfreliance app (merged into ``rules.ROUTES`` and ``rules.OPERATIONS``)."""

from __future__ import annotations

from tests.security.rules import *  # noqa: F403  (page, form, action, op and the role tuples)

ROUTES: dict = {}
OPERATIONS: dict = {}
