"""The token pages: list, create (key shown once), revoke; admins only."""

from __future__ import annotations

import re

import pytest

from bansos.accounts.models import ApiToken
from bansos.accounts.tokens import MSG_NAME_REQUIRED, hash_key, token_create
from bansos.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _state():
    return list(ApiToken.objects.order_by("pk").values()), AuditEvent.objects.count()


def test_the_list_shows_every_token(cast, client_for):
    token_create(actor=cast["admin"], owner=cast["surveyor"], name="Aplikasi RW 01")
    revoked, _ = token_create(actor=cast["admin"], owner=cast["officer"], name="Dinsos lama")
    revoked.revoked_at = revoked.created_at
    revoked.save(update_fields=["revoked_at"])
    html = client_for(cast["admin"]).get("/akun/token/").content.decode()
    assert "Aplikasi RW 01" in html and "Dinsos lama" in html
    assert "surveyor" in html and "officer" in html
    assert html.count("Dicabut ") == 1
    assert f"{revoked.prefix}…" in html
    assert 'class="responsive tokens"' in html


def test_creating_shows_the_key_once(cast, client_for):
    client = client_for(cast["admin"])
    response = client.post("/akun/token/baru/", {"name": "Aplikasi RW 01", "user": cast["surveyor"].pk})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    key = re.search(r'id="token-key"[^>]*value="([^"]+)"', html).group(1)
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.key_hash) == (cast["surveyor"], "Aplikasi RW 01", hash_key(key))
    assert "Kunci hanya ditampilkan sekali" in html
    # Nowhere else afterwards.
    assert key not in client.get("/akun/token/").content.decode()


def test_creating_shows_errors_next_to_the_fields_and_changes_nothing(cast, client_for):
    before = _state()
    response = client_for(cast["admin"]).post("/akun/token/baru/", {"name": "  ", "user": cast["resident"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pilih petugas yang aktif dari daftar." in html
    before_name = client_for(cast["admin"]).post("/akun/token/baru/", {"name": "", "user": cast["officer"].pk})
    assert str(MSG_NAME_REQUIRED) in before_name.content.decode()
    assert _state() == before


def test_revoking_asks_then_revokes(cast, client_for):
    token, _ = token_create(actor=cast["admin"], owner=cast["surveyor"], name="lama")
    client = client_for(cast["admin"])
    assert "Cabut token" in client.get(f"/akun/token/{token.pk}/cabut/").content.decode()
    response = client.post(f"/akun/token/{token.pk}/cabut/")
    assert (response.status_code, response["Location"]) == (302, "/akun/token/")
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("name", ["surveyor", "officer", "cadre", "evaluator", "resident"])
def test_the_pages_are_refused_to_non_admins(cast, client_for, name):
    token, _ = token_create(actor=cast["admin"], owner=cast["surveyor"], name="lama")
    client = client_for(cast[name])
    before = _state()
    assert client.get("/akun/token/").status_code == 403
    assert client.get("/akun/token/baru/").status_code == 403
    assert client.post("/akun/token/baru/", {"name": "x", "user": cast["surveyor"].pk}).status_code == 403
    assert client.post(f"/akun/token/{token.pk}/cabut/").status_code == 403
    assert _state() == before


def test_the_pages_send_anonymous_to_sign_in(cast, client):
    response = client.get("/akun/token/")
    assert (response.status_code, response["Location"]) == (302, "/akun/masuk/?next=/akun/token/")
