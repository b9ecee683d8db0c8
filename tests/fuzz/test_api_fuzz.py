"""Schemathesis against the JSON API, in-process, signed in with a bearer token.

Every operation of ``/api/openapi.json`` is one test per user: the kelurahan admin and a program
officer each send it a fixed number of generated requests (derandomized, so CI is reproducible),
over the demo data at a small scale. Each response must not be a server error, must use a status
code that the operation documents, and must match the documented schema (body and content type).
Each test runs in its own savepoint, so what one operation's examples change is gone for the next.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz import pools
from tests.fuzz.bugs import known_bug

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

MAX_EXAMPLES = 20  # valid requests per operation and user
NEGATIVE_EXAMPLES = 8  # invalid requests per operation (as the admin, who reaches every service)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
USERS = ("admin", "officer")


def _load_schema():
    from bansos.api import api

    # The very document /api/openapi.json serves (test_served_schema_is_the_fuzzed_one checks it).
    return schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))


schema = _load_schema()
# No NUL characters in generated text: the API refuses them before any operation runs (a 422 from
# core.middleware.ApiNulGuardMiddleware, tested below), so generating them would only test that guard.
schema.config.generation.update(allow_x00=False)
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    return pools.real_ids(context.operation.path, path_parameters)


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # a fixed seed: the same examples on every run
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure shows the example as found
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


def _params(users, mode: str):
    for who in users:
        for operation in OPERATIONS:
            if mode == "invalid" and not (list(operation.query) or list(operation.body)):
                continue  # only path parameters, and the URL router turns away what is invalid there
            reason = known_bug(who, mode, operation.method.upper(), operation.path)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            label = f"{who}-{operation.method.upper()} {operation.path}"
            yield pytest.param(who, operation, id=label, marks=marks)


def _fuzz(operation, mode: GenerationMode, examples: int, token: str, wsgi_app) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    @settings(FUZZ_SETTINGS, max_examples=examples)
    @given(case=operation.as_strategy(mode, hooks=schema.hooks))
    def fuzz(case):
        case.call_and_validate(headers=headers, checks=CHECKS, app=wsgi_app)

    fuzz()


@pytest.mark.parametrize(("who", "operation"), list(_params(USERS, "valid")))
def test_api_operation(who, operation, fuzz_world, wsgi_app):
    """Requests that match the schema: whatever the services decide, the answer is documented."""
    _fuzz(operation, GenerationMode.POSITIVE, MAX_EXAMPLES, fuzz_world.tokens[who], wsgi_app)


@pytest.mark.parametrize(("who", "operation"), list(_params(("admin",), "invalid")))
def test_api_operation_invalid_input(who, operation, fuzz_world, wsgi_app):
    """Requests that break the schema (wrong types, missing fields): a documented 4xx, never a 500."""
    _fuzz(operation, GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES, fuzz_world.tokens[who], wsgi_app)


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) == sum(len([m for m in item if m in ("get", "post", "put", "patch", "delete")])
                                  for item in schema.raw_schema["paths"].values())


def test_served_schema_is_the_fuzzed_one(fuzz_world, client):
    response = client.get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {fuzz_world.tokens['admin']}")
    assert response.status_code == 200
    assert response.json() == schema.raw_schema


def test_unknown_api_url_answers_json(fuzz_world, client):
    response = client.get("/api/programs/-1", HTTP_AUTHORIZATION=f"Bearer {fuzz_world.tokens['admin']}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_bulk_approve_with_an_id_beyond_the_integer_range_skips_it(fuzz_world, client):
    """Found by the fuzzing: {"ids": [2**70]} was an OverflowError (500) on SQLite."""
    from bansos.programs.models import Enrollment

    program_id = fuzz_world.ids["program_id"][0]
    before = list(Enrollment.objects.order_by("pk").values_list("pk", "state"))
    response = client.post(f"/api/programs/{program_id}/enrollments/bulk-approve", {"ids": [2**70]},
                           content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {fuzz_world.tokens['admin']}")
    assert response.status_code == 200, response.content
    assert response.json()["done"] == 0
    assert list(Enrollment.objects.order_by("pk").values_list("pk", "state")) == before


def test_nul_character_in_text_is_refused(fuzz_world, client):
    from bansos.core.models import RW
    from bansos.meetings.models import Meeting

    before = Meeting.objects.count()
    body = {"title": "Musyawarah\x00RW", "date": "2026-01-15", "status": "planned",
            "rw": RW.objects.order_by("pk").values_list("number", flat=True).first()}
    response = client.post("/api/meetings", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {fuzz_world.tokens['admin']}")
    assert response.status_code == 422, response.content
    assert Meeting.objects.count() == before
