"""Sign-in lock-out (django-axes), deactivated accounts, and the password change."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from bansos.core.models import AuditEvent
from tests.conftest import PASSWORD

NEW_PASSWORD = "Sawo-Matang-Duri-77"


def _sign_in(client: Client, username: str, password: str):
    return client.post("/akun/masuk/", {"username": username, "password": password})


def test_it_signs_in_with_the_right_password(cast):
    client = Client()
    response = _sign_in(client, "surveyor", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"].username == "surveyor"


def test_it_locks_out_after_five_failures_even_with_the_right_password(cast):
    client = Client()
    for _ in range(5):
        response = _sign_in(client, "surveyor", "salah-sekali")
        assert response.status_code in (200, 429)
    response = _sign_in(client, "surveyor", PASSWORD)
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_resets_the_failure_counter(cast):
    client = Client()
    for _ in range(4):
        assert _sign_in(client, "surveyor", "salah-sekali").status_code == 200
    assert _sign_in(client, "surveyor", PASSWORD).status_code == 302
    client.post("/akun/keluar/")
    for _ in range(4):
        assert _sign_in(client, "surveyor", "salah-sekali").status_code == 200
    assert _sign_in(client, "surveyor", PASSWORD).status_code == 302


def test_a_deactivated_user_cannot_sign_in(cast):
    from bansos.accounts.services import user_set_active

    user_set_active(actor=cast["admin"], user=cast["officer"], active=False)
    client = Client()
    response = _sign_in(client, "officer", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors() == [
        "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
    ]


def test_a_deactivated_user_loses_an_open_session(cast, client_for):
    from bansos.accounts.services import user_set_active

    client = client_for(cast["officer"])
    assert client.get("/").status_code == 200
    user_set_active(actor=cast["admin"], user=cast["officer"], active=False)
    assert client.get("/").status_code == 302


def test_every_user_can_change_their_password_with_an_audit_event(cast, client_for):
    client = client_for(cast["resident"])
    assert client.get("/akun/kata-sandi/").status_code == 200
    events = AuditEvent.objects.count()
    response = client.post("/akun/kata-sandi/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 302
    cast["resident"].refresh_from_db()
    assert cast["resident"].check_password(NEW_PASSWORD)
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_name, event.changes) == ("account.password_change", "resident", {})
    assert NEW_PASSWORD not in str(event.changes) + event.reason
    # The session that changed the password stays signed in.
    assert client.get(reverse("portal:beranda")).status_code == 200


def test_it_refuses_a_wrong_old_password_and_changes_nothing(cast, client_for):
    client = client_for(cast["cadre"])
    events = AuditEvent.objects.count()
    response = client.post("/akun/kata-sandi/", {
        "old_password": "bukan-ini", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"] == ["Kata sandi lama salah. Silakan coba lagi."]
    cast["cadre"].refresh_from_db()
    assert cast["cadre"].check_password(PASSWORD)
    assert AuditEvent.objects.count() == events


def test_it_refuses_mismatched_new_passwords(cast, client_for):
    response = client_for(cast["cadre"]).post("/akun/kata-sandi/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x",
    })
    assert response.context["form"].errors["new_password2"] == ["Kedua kata sandi baru tidak sama."]


def test_anonymous_visitors_cannot_change_a_password(db):
    response = Client().get("/akun/kata-sandi/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")
