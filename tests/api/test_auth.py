"""Who may call the API: tokens, sessions, CSRF, and the docs page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bansos.accounts.api_auth import MSG_CSRF_FAILED, MSG_INVALID_TOKEN, MSG_NOT_AUTHENTICATED
from bansos.accounts.models import ApiToken
from bansos.accounts.tokens import token_create, token_revoke
from bansos.core.models import AuditEvent
from bansos.registry.models import Household

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED = {"code": "not_authenticated", "message": str(MSG_NOT_AUTHENTICATED), "errors": {}}
INVALID_TOKEN = {"code": "invalid_token", "message": str(MSG_INVALID_TOKEN), "errors": {}}


def _key_for(cast, owner, name="integrasi") -> str:
    return token_create(actor=cast["admin"], owner=owner, name=name)[1]


def test_it_refuses_anonymous_with_a_json_401(cast, api_as):
    response = api_as(None).get("/households")
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_it_refuses_anonymous_writes_with_401_not_a_csrf_error(cast, api_as, unchanged):
    with unchanged():
        response = api_as(None, enforce_csrf=True).post(
            f"/households/{cast['households']['rw1'].pk}/status", {"status": "moved", "reason": "pindah"}
        )
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


def test_it_accepts_a_bearer_token_as_its_owner(cast, api_as):
    key = _key_for(cast, cast["surveyor"])
    response = api_as(key=key).get("/households")
    assert response.status_code == 200
    # The surveyor of RW 1 sees the two RW 1 households, not RW 2's.
    assert [item["id"] for item in response.json()["items"]] == sorted(
        [cast["households"]["rw1"].pk, cast["households"]["rw1_rt2"].pk],
        key=lambda pk: Household.objects.get(pk=pk).kk_number,
    )


def test_a_token_keeps_its_owners_scope(cast, api_as):
    key = _key_for(cast, cast["surveyor"])
    response = api_as(key=key).get(f"/households/{cast['households']['rw2'].pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_token_write_needs_no_csrf_and_is_audited_as_the_owner(cast, api_as):
    key = _key_for(cast, cast["surveyor"])
    household = cast["households"]["rw1"]
    response = api_as(key=key, enforce_csrf=True).patch(
        f"/households/{household.pk}", {"address": "Jl. Kelapa Dua No. 3", "reason": "salah ketik"}
    )
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="household.update").get()
    assert (event.actor, event.reason, event.changes) == (
        cast["surveyor"], "salah ketik", {"address": ["Jl. Duri Raya No. 12", "Jl. Kelapa Dua No. 3"]}
    )
    assert event.origin["channel"] == "api"


def test_it_refuses_an_unknown_token(cast, api_as):
    response = api_as(key="bukan-token-yang-sah").get("/households")
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_it_refuses_an_empty_bearer_header(cast, api_as):
    response = api_as(key="").get("/households")
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_it_refuses_a_revoked_token(cast, api_as):
    token, key = token_create(actor=cast["admin"], owner=cast["admin"], name="lama")
    token_revoke(actor=cast["admin"], token=token)
    response = api_as(key=key).get("/households")
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_it_refuses_the_token_of_a_deactivated_user(cast, api_as):
    key = _key_for(cast, cast["surveyor"])
    cast["surveyor"].is_active = False
    cast["surveyor"].save(update_fields=["is_active"])
    response = api_as(key=key).get("/households")
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_a_bad_token_is_refused_even_beside_a_valid_session(cast, api_as):
    response = api_as(cast["admin"], key="bukan-token-yang-sah").get("/households")
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_it_notes_last_use_at_most_once_a_minute(cast, api_as):
    token, key = token_create(actor=cast["admin"], owner=cast["admin"], name="sinkron")
    assert token.last_used_at is None
    client = api_as(key=key)
    client.get("/households")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get("/households")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    # A use more than a minute later is noted again.
    earlier = first - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get("/households")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > earlier


def test_session_writes_need_the_csrf_token(cast, api_as, unchanged):
    household = cast["households"]["rw1"]
    client = api_as(cast["admin"], enforce_csrf=True)
    with unchanged():
        response = client.post(f"/households/{household.pk}/status", {"status": "moved", "reason": "pindah"})
    assert response.status_code == 403
    assert response.json() == {"code": "csrf_failed", "message": str(MSG_CSRF_FAILED), "errors": {}}


def test_session_writes_pass_with_the_csrf_token(cast, api_as):
    household = cast["households"]["rw1"]
    client = api_as(cast["admin"], enforce_csrf=True)
    client.client.get("/")  # a page with a form sets the CSRF cookie, as in the browser
    csrf = client.client.cookies["csrftoken"].value
    response = client.post(
        f"/households/{household.pk}/status", {"status": "moved", "reason": "pindah"},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "moved"


def test_session_reads_need_no_csrf_token(cast, api_as):
    response = api_as(cast["admin"], enforce_csrf=True).get("/households")
    assert response.status_code == 200


# --- Docs -------------------------------------------------------------------------------------


def test_docs_send_anonymous_to_sign_in(cast, client):
    response = client.get("/api/docs")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/api/docs"


@pytest.mark.parametrize("name", ["evaluator", "cadre", "resident"])
def test_docs_refuse_users_without_the_docs_permission(cast, client_for, name):
    assert client_for(cast[name]).get("/api/docs").status_code == 403
    assert client_for(cast[name]).get("/api/openapi.json").status_code == 403


@pytest.mark.parametrize("name", ["admin", "surveyor", "officer"])
def test_docs_load_from_this_server_only(cast, client_for, name):
    response = client_for(cast[name]).get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"(?:src|href)=\"(https?:)?//", html) == []
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    assert '"validatorUrl": null' in html
    # No inline script: the only <script> without src is the JSON settings block.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']


def test_the_swagger_files_are_served_locally(cast, client_for):
    response = client_for(cast["admin"]).get("/static/ninja/swagger-ui-bundle.js")
    assert response.status_code == 200


def test_the_schema_is_readable_with_a_token(cast, api_as):
    key = _key_for(cast, cast["surveyor"])
    assert api_as(key=key).client.get("/api/openapi.json", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    response = api_as().client.get("/api/openapi.json", headers={"Authorization": "Bearer salah"})
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN
