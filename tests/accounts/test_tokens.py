"""API token services: create, revoke, recognise; only a hash is kept and the key is never audited."""

from __future__ import annotations

import hashlib

import pytest

from bansos.accounts.models import ApiToken
from bansos.accounts.tokens import (
    MSG_ALREADY_REVOKED, MSG_NAME_REQUIRED, MSG_NAME_TOO_LONG, MSG_OWNER_NOT_STAFF, token_authenticate,
    token_create, token_revoke,
)
from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _state():
    return list(ApiToken.objects.order_by("pk").values()), AuditEvent.objects.count()


def test_it_creates_a_token_storing_only_hash_and_prefix(cast):
    token, key = token_create(actor=cast["admin"], owner=cast["surveyor"], name="  Aplikasi   RW 01 ")
    assert len(key) == 43
    stored = ApiToken.objects.get(pk=token.pk)
    assert (stored.user, stored.name, stored.prefix, stored.key_hash, stored.revoked_at) == (
        cast["surveyor"], "Aplikasi RW 01", key[:8], hashlib.sha256(key.encode()).hexdigest(), None
    )
    assert key not in str(list(ApiToken.objects.values()))


def test_it_audits_creation_without_the_key(cast):
    token, key = token_create(actor=cast["admin"], owner=cast["surveyor"], name="sinkron")
    event = AuditEvent.objects.get(action="token.create")
    assert (event.actor, event.object_id, event.changes) == (
        cast["admin"], str(token.pk),
        {"user": [None, "surveyor"], "name": [None, "sinkron"], "prefix": [None, key[:8]]},
    )
    assert key not in str(event.changes) + event.object_label + event.reason


def test_two_tokens_get_different_keys(cast):
    keys = {token_create(actor=cast["admin"], owner=cast["admin"], name=f"t{i}")[1] for i in range(3)}
    assert len(keys) == 3


@pytest.mark.parametrize("name", ["surveyor", "officer", "cadre", "evaluator", "resident"])
def test_it_refuses_creation_to_non_admins(cast, name):
    before = _state()
    with pytest.raises(PermissionDeniedError):
        token_create(actor=cast[name], owner=cast[name], name="milik sendiri")
    assert _state() == before


@pytest.mark.parametrize(("name", "errors"), [
    ("", {"name": [str(MSG_NAME_REQUIRED)]}),
    ("x" * 101, {"name": [str(MSG_NAME_TOO_LONG)]}),
])
def test_it_refuses_a_bad_name(cast, name, errors):
    before = _state()
    with pytest.raises(ValidationFailed) as caught:
        token_create(actor=cast["admin"], owner=cast["surveyor"], name=name)
    assert caught.value.errors == errors
    assert _state() == before


def test_it_refuses_a_resident_or_inactive_owner(cast):
    cast["officer"].is_active = False
    cast["officer"].save(update_fields=["is_active"])
    before = _state()
    for owner in (cast["resident"], cast["officer"]):
        with pytest.raises(ValidationFailed) as caught:
            token_create(actor=cast["admin"], owner=owner, name="x")
        assert caught.value.errors == {"user": [str(MSG_OWNER_NOT_STAFF)]}
    assert _state() == before


def test_it_revokes_a_token_and_audits_it(cast):
    token, key = token_create(actor=cast["admin"], owner=cast["surveyor"], name="lama")
    assert token_authenticate(key) == cast["surveyor"]
    revoked = token_revoke(actor=cast["admin"], token=token)
    assert revoked.revoked_at is not None
    assert token_authenticate(key) is None
    event = AuditEvent.objects.get(action="token.revoke")
    assert (event.actor, event.object_id, list(event.changes)) == (cast["admin"], str(token.pk), ["revoked_at"])


def test_it_refuses_revoking_twice(cast):
    token, _key = token_create(actor=cast["admin"], owner=cast["surveyor"], name="lama")
    token_revoke(actor=cast["admin"], token=token)
    before = _state()
    with pytest.raises(DomainError) as caught:
        token_revoke(actor=cast["admin"], token=token)
    assert (caught.value.code, caught.value.text) == ("token_revoked", str(MSG_ALREADY_REVOKED))
    assert _state() == before


@pytest.mark.parametrize("name", ["surveyor", "officer", "evaluator"])
def test_it_refuses_revocation_to_non_admins(cast, name):
    token, key = token_create(actor=cast["admin"], owner=cast[name], name="punya sendiri")
    before = _state()
    with pytest.raises(PermissionDeniedError):
        token_revoke(actor=cast[name], token=token)
    assert _state() == before
    assert token_authenticate(key) == cast[name]


def test_it_does_not_recognise_unknown_or_empty_keys(cast):
    token_create(actor=cast["admin"], owner=cast["admin"], name="x")
    assert token_authenticate("") is None
    assert token_authenticate("tidak-ada") is None
