"""One OpenAPI component per name: two apps' schemas with the same class name must not meet.

django-ninja names a component after the class, so two different ``SessionOut`` classes (training's
course session and health's posyandu session) become one entry in ``components.schemas`` and
every reference of the first app silently points at the second app's shape. Schemathesis found
that as "response violates schema"; this test names the clash before any request is made.
"""

from __future__ import annotations

import enum
import json
import typing
from collections import defaultdict

import pytest
from pydantic import BaseModel

pytestmark = pytest.mark.fuzz


def _walk(annotation, seen: set) -> None:
    if isinstance(annotation, type):
        if annotation in seen:
            return
        if issubclass(annotation, BaseModel):
            seen.add(annotation)
            for field in annotation.model_fields.values():
                _walk(field.annotation, seen)
            return
        if issubclass(annotation, enum.Enum):
            seen.add(annotation)
            return
    for arg in typing.get_args(annotation):
        _walk(arg, seen)


def api_models() -> set[type]:
    from bansos.api import api

    seen: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    _walk(model, seen)
    return {cls for cls in seen if cls.__module__.startswith("bansos.")}


def _shape(cls: type) -> str:
    if issubclass(cls, enum.Enum):
        return repr(sorted(str(member.value) for member in cls))
    return json.dumps(cls.model_json_schema(), sort_keys=True, default=str)


def test_no_two_api_schemas_share_a_component_name():
    """Same name and same shape (a ``ReasonIn`` with one ``reason`` field in three apps) is harmless."""
    by_name: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for cls in api_models():
        by_name[cls.__name__][_shape(cls)].append(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: sorted(p for paths in shapes.values() for p in paths)
               for name, shapes in by_name.items() if len(shapes) > 1}
    assert not clashes, f"rename one side, the OpenAPI components keep only one of each: {clashes}"


def test_the_walk_finds_the_api_models():
    names = {cls.__name__ for cls in api_models()}
    assert {"ErrorOut", "CourseSessionOut"} <= names
