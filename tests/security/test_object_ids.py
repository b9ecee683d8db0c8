"""Object-level checks: an in-scope user who puts the id of an object of ANOTHER scope (another RW's
household, another agency's program, cycle, course, business or vacancy, another household's resident)
into a URL, a path or a request body is refused, and nothing changes.

Derived from the declared rules: for every route and operation, every id parameter whose kind has an
object in another scope, and every role the rule scopes (the admin and the evaluator have no scope).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.bugs import BUGS
from tests.security.helpers import all_operations, all_routes, diff, expected_allowed, kwargs_for, outcome, snapshot
from tests.security.rules import OPERATIONS, ROUTES
from tests.security.test_authz_matrix import api_call, op_anchor, post_data, route_anchor
from tests.security.world import SCOPED_ROLES

# Kinds that have an object on the other side of the world (see world.build_world); checked below.
OTHER_KINDS = {"household", "resident", "dsr", "rule", "rule_run", "meeting", "need", "program", "enrollment",
               "referral", "cycle", "cash_program", "entitlement", "course", "session", "participant", "vacancy",
               # education (the other side: another agency's program and its student) and health (the other
               # posyandu and the records of its area)
               "edu_program", "student", "student_resident", "student_nik", "posyandu", "health_session", "child",
               "visit", "alert", "pregnancy", "mother", "health_edu", "health_referral",
               # notifications: an announcement of another agency or RW, another household's inbox message
               "announcement", "inbox_message"}
DATA = "data:"  # a POST field holding an id ("@kind" in the rule's data), as opposed to a URL parameter


def _scoped_roles(access):
    roles = SCOPED_ROLES if access.scoped is True else set(access.scoped or ())
    return sorted(r for r in roles if r in access.roles)


def _route_cases():
    for route in all_routes():
        rule = ROUTES.get(route.name)
        if rule is None:
            continue
        for method, access in (("GET", rule.get), ("POST", rule.post)):
            if access is None or not access.scoped:
                continue
            fields = {DATA + k: v[1:] for k, v in rule.data.items() if v.startswith("@")} if method == "POST" else {}
            for param, kind in {**rule.ids, **fields}.items():
                if kind not in OTHER_KINDS:
                    continue
                for role in _scoped_roles(access):
                    key = (route.name, role, method, param)
                    reason = BUGS.get(key[:3] + ("other:" + param,))
                    yield pytest.param(route.name, role, method, param, id="-".join(key),
                                       marks=[pytest.mark.xfail(strict=True, reason=reason)] if reason else [])


def _operation_cases():
    for operation in all_operations():
        spec = OPERATIONS.get(operation.id)
        if spec is None or not spec.access.scoped:
            continue
        params = {**spec.ids, **spec.body_ids, **spec.query}
        for param, kind in params.items():
            if kind not in OTHER_KINDS:
                continue
            for role in _scoped_roles(spec.access):
                key = ("api:" + operation.id, role, operation.method, param)
                reason = BUGS.get(key[:3] + ("other:" + param,))
                yield pytest.param(operation.id, role, param, id="-".join(key),
                                   marks=[pytest.mark.xfail(strict=True, reason=reason)] if reason else [])


@pytest.mark.parametrize(("name", "role", "method", "param"), list(_route_cases()))
def test_route_id_of_another_scope(world, db, name, role, method, param):
    rule = ROUTES[name]
    access = rule.get if method == "GET" else rule.post
    assert expected_allowed(access, role)
    kind = rule.data[param.removeprefix(DATA)][1:] if param.startswith(DATA) else rule.ids[param]
    if world.id(kind, other=True) is None:
        pytest.skip(f"the world has no {kind} in another scope")
    client = world.client(world.user(role, route_anchor(rule)))
    url = reverse(name, kwargs=kwargs_for(world, rule.ids, other=True, other_keys={param}))
    data = post_data(world, rule)
    if param.startswith(DATA):
        data[param.removeprefix(DATA)] = world.id(kind, other=True)
    before = snapshot()
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data)
    label = f"{method} {url} ({name}, {param} of another scope) as in-scope {role}"
    got = outcome(response)
    if param.startswith(DATA):
        # A form field may also be answered by a domain refusal shown on the page ("not in the posyandu's
        # area"); either way the other scope's object must stay untouched (below).
        assert got != "error", f"{label}: got {response.status_code}"
    else:
        assert got == "refused", f"{label}: got {response.status_code} {response.get('Location', '')}"
    assert not diff(before, snapshot()), f"{label}: refused but changed rows {diff(before, snapshot())}"


@pytest.mark.parametrize(("operation_id", "role", "param"), list(_operation_cases()))
def test_operation_id_of_another_scope(world, db, operation_id, role, param):
    operation = next(o for o in all_operations() if o.id == operation_id)
    spec = OPERATIONS[operation_id]
    kind = {**spec.ids, **spec.body_ids, **spec.query}[param]
    if world.id(kind, other=True) is None:
        pytest.skip(f"the world has no {kind} in another scope")
    client = world.client(world.user(role, op_anchor(spec)))
    path, call = api_call(client, operation, world, other_keys=(param,))
    before = snapshot()
    response = call()
    label = f"{operation.method} {path} ({operation_id}, {param} of another scope) as in-scope {role}"
    got = outcome(response, api=True)
    assert got != "error", f"{label}: got {response.status_code} {response.content[:200]!r}"
    if param in spec.ids or param in spec.query:
        assert got in ("refused", "rejected"), f"{label}: got {response.status_code} {response.content[:200]!r}"
    # An id in the body may also be answered by a domain refusal (400, "not a member") or skipped by a
    # bulk operation ("done": 0); either way the other scope's object must stay untouched:
    assert not diff(before, snapshot()), f"{label}: refused but changed rows {diff(before, snapshot())}"
