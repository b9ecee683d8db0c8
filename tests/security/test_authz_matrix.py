"""The authorization matrix: every URL pattern and every API operation against the whole cast.

For each (route, user, method) the declared rule in ``rules.py`` says allowed or refused; refused
requests must change nothing (row counts of every table, the audit trail included).
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.security.bugs import BUGS
from tests.security.helpers import (
    all_operations,
    all_routes,
    body_for,
    diff,
    expected_allowed,
    kwargs_for,
    outcome,
    snapshot,
)
from tests.security.rules import OPERATIONS, ROUTES
from tests.security.world import CAST


def test_every_route_has_a_rule():
    names = {route.name for route in all_routes()}
    undeclared = sorted(names - set(ROUTES))
    assert not undeclared, "declare a rule for " + ", ".join(undeclared) + " in tests/security/rules.py"
    gone = sorted(set(ROUTES) - names)
    assert not gone, "rules declared for routes that no longer exist: " + ", ".join(gone)


def test_every_operation_has_a_rule():
    ids = [op.id for op in all_operations()]
    assert len(ids) == len(set(ids)), "operation ids must be unique"
    undeclared = sorted(set(ids) - set(OPERATIONS))
    assert not undeclared, "declare a rule for operation " + ", ".join(undeclared) + " in tests/security/rules.py"
    gone = sorted(set(OPERATIONS) - set(ids))
    assert not gone, "rules declared for operations that no longer exist: " + ", ".join(gone)


def test_route_ids_are_declared():
    """Every URL parameter is filled from a declared kind of object."""
    missing = [f"{r.name}: {p}" for r in all_routes() if r.name in ROUTES for p in r.params
               if p not in ROUTES[r.name].ids]
    assert not missing, "declare ids for " + ", ".join(missing)
    missing = [f"{o.id}: {p}" for o in all_operations() if o.id in OPERATIONS for p in o.params
               if p not in OPERATIONS[o.id].ids]
    assert not missing, "declare ids for " + ", ".join(missing)


def _mark(key, params):
    reason = BUGS.get(key)
    return pytest.param(*params, id="-".join(key), marks=[pytest.mark.xfail(strict=True, reason=reason)]
                        if reason else [])


def _route_cases():
    for route in all_routes():
        rule = ROUTES.get(route.name)
        if rule is None:
            continue
        for who in CAST:
            yield _mark((route.name, who, "GET"), (route.name, who, "GET"))
            if rule.post is not None:
                yield _mark((route.name, who, "POST"), (route.name, who, "POST"))


def _operation_cases():
    for operation in all_operations():
        if operation.id not in OPERATIONS:
            continue
        for who in CAST:
            yield _mark(("api:" + operation.id, who, operation.method), (operation.id, who))


def check(client_call, *, allowed: bool, label: str, api: bool = False, write: bool = True,
          signin_redirect_ok: bool = False):
    before = snapshot() if write and not allowed else None
    response = client_call()
    got = outcome(response, api=api, signin_redirect_ok=signin_redirect_ok)
    location = response.get("Location", "")
    assert got != "error", f"{label}: {response.status_code} {location}"
    if allowed:
        assert got in ("allowed", "rejected"), f"{label}: expected allowed, got {response.status_code} {location}"
    else:
        assert got in ("refused", "rejected"), f"{label}: expected refused, got {response.status_code} {location}"
        changed = diff(before, snapshot()) if before is not None else None
        assert not changed, f"{label}: refused but changed rows {changed}"
    return response


@pytest.mark.parametrize(("name", "who", "method"), list(_route_cases()))
def test_route(world, db, name, who, method):
    rule = ROUTES[name]
    user = world.user(who, route_anchor(rule))
    url = reverse(name, kwargs=kwargs_for(world, rule.ids))
    client = world.client(user)
    access = rule.get if method == "GET" else rule.post
    data = post_data(world, rule)
    call = (lambda: client.get(url)) if method == "GET" else (lambda: client.post(url, data))
    check(call, allowed=expected_allowed(access, who), label=f"{method} {url} ({name}) as {who}",
          write=method != "GET", signin_redirect_ok=rule.signin_redirect_ok)


def route_anchor(rule):
    return rule.anchor or next(iter(rule.ids.values()), None)


def op_anchor(spec):
    return spec.anchor or next(iter(spec.ids.values()), None) or next(iter(spec.body_ids.values()), None)


def post_data(world, rule, *, other: bool = False) -> dict:
    return {k: (world.id(v[1:], other=other) if v.startswith("@") else v) for k, v in rule.data.items()}


def api_call(client, operation, world, *, other_keys=(), headers=None):
    spec = OPERATIONS[operation.id]
    path_ids = kwargs_for(world, spec.ids, other=True, other_keys=set(other_keys))
    path = operation.path.format(**path_ids)
    body_ids = {field: world.id(kind, other=field in other_keys) for field, kind in spec.body_ids.items()}
    extra = headers or {}
    if operation.method == "GET":
        query = {k: world.id(kind, other=k in other_keys) for k, kind in spec.query.items()}
        return path, lambda: client.get(path, query, **extra)
    if operation.multipart:
        return path, lambda: client.generic(operation.method, path, b"", content_type="multipart/form-data; boundary=x",
                                            **extra)
    data = json.dumps(body_for(operation, body_ids))
    return path, lambda: client.generic(operation.method, path, data, content_type="application/json", **extra)


@pytest.mark.parametrize(("operation_id", "who"), list(_operation_cases()))
def test_operation(world, db, operation_id, who):
    operation = next(o for o in all_operations() if o.id == operation_id)
    spec = OPERATIONS[operation_id]
    client = world.client(world.user(who, op_anchor(spec)))
    path, call = api_call(client, operation, world)
    check(call, allowed=expected_allowed(spec.access, who), label=f"{operation.method} {path} ({operation_id}) as {who}",
          api=True, write=operation.method != "GET")


def test_bearer_token(world, db):
    """One role through an API key instead of the session: the admin's key reads; a wrong key is refused."""
    from django.test import Client

    client = Client()
    household = world.id("household")
    ok = client.get(f"/api/households/{household}", HTTP_AUTHORIZATION=f"Bearer {world.token_key}")
    assert ok.status_code == 200, ok.content[:300]
    assert client.get("/api/households", HTTP_AUTHORIZATION="Bearer wrong-key").status_code == 401
    before = snapshot()
    refused = client.post("/api/households", "{}", content_type="application/json",
                          HTTP_AUTHORIZATION="Bearer wrong-key")
    assert refused.status_code == 401
    assert not diff(before, snapshot())
