"""Helpers for the API tests: JSON calls as a cast member, by session or by token."""

from __future__ import annotations

import pytest
from django.test import Client


class ApiClient:
    """A thin JSON client; ``user`` signs in by session, ``key`` sends a bearer token."""

    def __init__(self, user=None, *, key: str | None = None, enforce_csrf: bool = False) -> None:
        self.client = Client(enforce_csrf_checks=enforce_csrf)
        self.headers = {}
        if user is not None:
            self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if key is not None:
            self.headers["Authorization"] = f"Bearer {key}"

    def get(self, path: str, params: dict | None = None):
        return self.client.get(f"/api{path}", params or {}, headers=self.headers)

    def post(self, path: str, data: dict | None = None, **extra):
        return self.client.post(f"/api{path}", data or {}, content_type="application/json",
                                headers={**self.headers, **extra.pop("headers", {})}, **extra)

    def patch(self, path: str, data: dict | None = None):
        return self.client.patch(f"/api{path}", data or {}, content_type="application/json", headers=self.headers)


@pytest.fixture
def api_as():
    """``api_as(user)`` -> ApiClient signed in as that cast member (None for anonymous)."""

    def make(user=None, **kwargs) -> ApiClient:
        return ApiClient(user, **kwargs)

    return make


def db_state():
    """Everything the registry API can change, to assert a refusal left it as it was."""
    from bansos.core.models import AuditEvent
    from bansos.registry.models import Household, Resident

    return (
        list(Household.objects.order_by("pk").values()),
        list(Resident.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def unchanged():
    """``with unchanged(): ...`` asserts the registry and the audit trail did not change."""
    import contextlib

    @contextlib.contextmanager
    def check():
        before = db_state()
        yield
        assert db_state() == before

    return check
