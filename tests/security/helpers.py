"""Enumeration of routes and operations, the outcome classifier and the "nothing changed" snapshot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.rules import Access
from tests.security.world import SCOPED_ROLES


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry, prefix + str(entry.pattern), full)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern), entry


@cache
def all_routes() -> tuple[Route, ...]:
    """Every URL pattern of the URL configuration except the ninja API's operations (see all_operations)."""
    routes = []
    for name, pattern, entry in _walk(get_resolver()):
        if getattr(entry.callback, "__module__", "").startswith("ninja.operation"):
            continue
        assert name, f"an unnamed URL pattern {pattern!r} cannot carry a rule: give it a name"
        routes.append(Route(name, pattern, tuple(entry.pattern.converters) or tuple(
            re.findall(r"<(?:\w+:)?(\w+)>", pattern))))
    return tuple(routes)


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str
    params: tuple[str, ...]
    body: dict | None  # the request body's JSON schema (refs resolved), or None
    multipart: bool
    public: bool


@cache
def openapi() -> dict:
    from bansos.api import api

    return api.get_openapi_schema()


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].split("/")[-1]]
    return schema


@cache
def all_operations() -> tuple[Operation, ...]:
    schema = openapi()
    components = schema.get("components", {}).get("schemas", {})
    ops = []
    for path, item in schema["paths"].items():
        for method, spec in item.items():
            content = spec.get("requestBody", {}).get("content", {})
            body, multipart = None, False
            if "application/json" in content:
                body = _resolve(content["application/json"]["schema"], components)
            elif content:
                multipart = True
            ops.append(Operation(spec["operationId"], method.upper(), path,
                                 tuple(re.findall(r"{(\w+)}", path)), body, multipart, not spec.get("security")))
    return tuple(ops)


def example_value(name: str, prop: dict, components: dict):
    prop = _resolve(prop, components)
    for variant in prop.get("anyOf", []):
        if variant.get("type") != "null":
            return example_value(name, variant, components)
    if "enum" in prop:
        return prop["enum"][0]
    kind = prop.get("type")
    fmt = prop.get("format", "")
    if kind == "integer":
        return max(1, prop.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {}
    if fmt == "date":
        return "2026-06-01"
    if fmt == "date-time":
        return "2026-06-01T09:00:00+07:00"
    return "uji keamanan"


def body_for(operation: Operation, ids: dict[str, object]) -> dict:
    """A body that passes the schema (every required field, ids from the world), so the permission runs."""
    if operation.body is None:
        return {}
    components = openapi().get("components", {}).get("schemas", {})
    body = {}
    for name, prop in operation.body.get("properties", {}).items():
        if name in ids:
            value = ids[name]
            prop = _resolve(prop, components)
            is_list = prop.get("type") == "array" or any(v.get("type") == "array" for v in prop.get("anyOf", []))
            body[name] = [value] if is_list else value
        else:
            body[name] = example_value(name, prop, components)
    return body


def expected_allowed(access: Access | None, who: str) -> bool:
    if access is None:
        return False
    role = who.removesuffix("_other")
    if role not in access.roles:
        return False
    scoped = SCOPED_ROLES if access.scoped is True else set(access.scoped or ())
    return not (who.endswith("_other") and role in scoped)


def kwargs_for(world, ids: dict[str, str], *, other: bool = False, other_keys=None) -> dict:
    out = {}
    for param, kind in ids.items():
        use_other = other and (other_keys is None or param in other_keys)
        value = world.id(kind, other=use_other)
        out[param] = value
    return out


LOGIN = None


def is_login_redirect(response) -> bool:
    global LOGIN
    if LOGIN is None:
        LOGIN = reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL
    return response.status_code in (301, 302, 303) and response.get("Location", "").split("?")[0].endswith(LOGIN)


def outcome(response, *, api: bool = False, signin_redirect_ok: bool = False) -> str:
    """'allowed', 'refused', or 'error' (a 5xx or anything the rules cannot read)."""
    code = response.status_code
    if code >= 500:
        return "error"
    if signin_redirect_ok and is_login_redirect(response):
        return "allowed"
    if api:
        if code in (401, 403, 404, 405):
            return "refused"
        if code == 422:
            # The example body failed validation: the operation checks its input before the permission, so
            # the decision is not observed. Never a success; the caller checks that nothing changed.
            return "rejected"
        return "allowed"  # 2xx, or a domain error (400/409) answered after the permission check
    if code in (403, 404, 405) or is_login_redirect(response):
        return "refused"
    if 200 <= code < 400 or code in (400, 409, 422):
        return "allowed"
    return "error"


@cache
def _tables() -> tuple[str, ...]:
    return tuple(sorted(connection.introspection.table_names()))


def snapshot() -> dict[str, int]:
    """Row counts of every table (one query)."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in _tables())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def diff(before: dict, after: dict) -> dict:
    return {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}

