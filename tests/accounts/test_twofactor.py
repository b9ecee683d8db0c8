"""Two-factor sign-in (TOTP): enrolment, the code step of the sign-in, wrong/replayed/throttled codes,
admins forced to enrol when required, and the admin's reset of a lost authenticator."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bansos.accounts import twofactor
from bansos.core.models import AuditEvent
from tests.conftest import PASSWORD

LOGIN = "/akun/masuk/"
VERIFY = "/akun/masuk/kode/"
SETUP = "/akun/dua-langkah/"


@pytest.fixture(autouse=True)
def _no_throttle_wait(settings):
    # django-otp doubles a wait after every wrong code; the throttling test turns it back on.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code(device: TOTPDevice, steps: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps`` periods later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():06d}"


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def wrong(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


def sign_in(client: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password})


def signed_in_as(client: Client) -> str | None:
    response = client.get("/")
    user = response.context["user"] if response.status_code == 200 and response.context else None
    return user.username if user and user.is_authenticated else None


# --- enrolment ------------------------------------------------------------------------------------


def test_staff_enrol_with_the_qr_code_and_a_first_code(cast, client_for):
    officer = cast["officer"]
    client = client_for(officer)
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed is False
    assert "<svg" in html and "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert twofactor.secret_text(device) in html
    uri = twofactor.provisioning_uri(device)
    assert uri.startswith("otpauth://totp/Bansos%20Duri%20Kepa%3Aofficer?secret=")

    refused = client.post(SETUP, {"action": "confirm", "code": wrong(code(device))})
    assert refused.status_code == 200
    assert "Kode salah atau sudah dipakai" in refused.content.decode()
    assert TOTPDevice.objects.get(user=officer).confirmed is False
    assert not AuditEvent.objects.filter(action="account.twofactor_enable").exists()

    bad_format = client.post(SETUP, {"action": "confirm", "code": "12ab"})
    assert "Kode terdiri dari 6 angka" in bad_format.content.decode()

    done = client.post(SETUP, {"action": "confirm", "code": code(device)})
    assert done.status_code == 302
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).count() == 1
    event = AuditEvent.objects.get(action="account.twofactor_enable")
    assert event.actor == officer and event.object_id == str(officer.pk)
    assert "Aktif." in client.get(SETUP).content.decode()


def test_a_resident_has_no_two_factor_page(cast, client_for):
    response = client_for(cast["resident"]).get(SETUP)
    assert response.status_code == 403
    assert TOTPDevice.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(cast):
    response = Client().get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- the sign-in ------------------------------------------------------------------------------------


def test_without_a_device_the_password_is_enough(cast):
    client = Client()
    response = sign_in(client, "officer")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_as(client) == "officer"


def test_with_a_device_the_sign_in_asks_for_the_code(cast):
    device = enrol(cast["officer"])
    client = Client()
    response = sign_in(client, "officer", next_url="/akun/kata-sandi/")
    assert response.status_code == 302 and response["Location"] == VERIFY
    # The password alone signs no one in.
    assert "_auth_user_id" not in client.session
    assert signed_in_as(client) is None
    assert "Buka aplikasi autentikator" in client.get(VERIFY).content.decode()

    done = client.post(VERIFY, {"code": code(device)})
    assert done.status_code == 302 and done["Location"] == "/akun/kata-sandi/"
    assert signed_in_as(client) == "officer"
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_is_refused_and_counted_by_axes(cast):
    from axes.models import AccessAttempt

    device = enrol(cast["officer"])
    client = Client()
    sign_in(client, "officer")
    response = client.post(VERIFY, {"code": wrong(code(device))})
    assert response.status_code == 200
    assert "Kode salah atau sudah dipakai" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="officer").failures_since_start == 1
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_replayed_code_is_refused(cast):
    device = enrol(cast["officer"])
    used = code(device)
    first = Client()
    sign_in(first, "officer")
    assert first.post(VERIFY, {"code": used}).status_code == 302

    second = Client()
    sign_in(second, "officer")
    response = second.post(VERIFY, {"code": used})
    assert response.status_code == 200
    assert "Kode salah atau sudah dipakai" in response.content.decode()
    assert "_auth_user_id" not in second.session
    # The next code the app shows works.
    assert second.post(VERIFY, {"code": code(device, steps=1)}).status_code == 302


def test_wrong_codes_are_throttled(cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    device = enrol(cast["officer"])
    client = Client()
    sign_in(client, "officer")
    client.post(VERIFY, {"code": wrong(code(device))})
    # Even the right code waits out the throttle.
    response = client.post(VERIFY, {"code": code(device)})
    assert response.status_code == 200
    assert "Terlalu banyak kode salah. Tunggu" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_codes_lock_the_account_out(cast):
    device = enrol(cast["officer"])
    client = Client()
    sign_in(client, "officer")
    statuses = [client.post(VERIFY, {"code": wrong(code(device))}).status_code for _ in range(5)]
    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    # Locked: neither the password nor the right code gets in now.
    assert sign_in(client, "officer").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_code_step_expires(cast, monkeypatch):
    enrol(cast["officer"])
    client = Client()
    sign_in(client, "officer")
    monkeypatch.setattr(twofactor, "PENDING_SECONDS", -1)
    response = client.post(VERIFY, {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert Client().get(VERIFY)["Location"] == LOGIN


def test_an_unsafe_next_goes_home(cast):
    device = enrol(cast["officer"])
    client = Client()
    sign_in(client, "officer", next_url="https://evil.example/")
    assert client.post(VERIFY, {"code": code(device)})["Location"] == "/"


def test_staff_turn_it_off_with_a_code(cast, client_for):
    officer = cast["officer"]
    device = enrol(officer)
    client = client_for(officer)
    refused = client.post(SETUP, {"action": "disable", "code": wrong(code(device))})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    assert client.post(SETUP, {"action": "disable", "code": code(device)}).status_code == 302
    assert TOTPDevice.objects.filter(user=officer).count() == 0
    assert AuditEvent.objects.filter(action="account.twofactor_disable", actor=officer).count() == 1


# --- required for kelurahan admins ------------------------------------------------------------------


def test_an_admin_is_forced_to_enrol_when_required(cast, client_for, settings):
    settings.BANSOS_REQUIRE_2FA_ADMIN = True
    admin = cast["admin"]
    client = client_for(admin)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == f"{SETUP}?next=%2F"
    assert client.get("/akun/pengguna/")["Location"].startswith(SETUP)
    api = client.get("/api/openapi.json")
    assert api.status_code == 403 and "verifikasi dua langkah" in api.json()["detail"]
    page = client.get(SETUP + "?next=/akun/pengguna/")
    assert page.status_code == 200 and "wajib" in page.content.decode()
    # Other roles are not forced.
    assert client_for(cast["officer"]).get("/").status_code == 200

    device = TOTPDevice.objects.get(user=admin)
    done = client.post(SETUP, {"action": "confirm", "code": code(device), "next": "/akun/pengguna/"})
    assert done.status_code == 302 and done["Location"] == "/akun/pengguna/"
    assert client.get("/").status_code == 200
    # Once required, an admin cannot turn it off.
    refused = client.post(SETUP, {"action": "disable", "code": code(device, steps=1)})
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).count() == 1
    assert refused.status_code == 200


def test_an_admin_session_without_a_code_must_give_one_when_required(cast, client_for, settings):
    settings.BANSOS_REQUIRE_2FA_ADMIN = True
    device = enrol(cast["admin"])
    client = client_for(cast["admin"])  # a session not verified by a code
    assert client.get("/")["Location"].startswith(SETUP)
    wrong_answer = client.post(SETUP + "?next=/", {"action": "verify", "code": wrong(code(device))})
    assert wrong_answer.status_code == 200
    assert client.get("/").status_code == 302
    assert client.post(SETUP + "?next=/", {"action": "verify", "code": code(device)})["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_full_sign_in_of_a_required_admin_reaches_home(cast, settings):
    settings.BANSOS_REQUIRE_2FA_ADMIN = True
    device = enrol(cast["admin"])
    client = Client()
    sign_in(client, "admin")
    assert client.post(VERIFY, {"code": code(device)})["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_is_off_by_default_outside_production(settings):
    from bansos.core.env import envbool

    assert settings.BANSOS_REQUIRE_2FA_ADMIN is False
    assert envbool("BANSOS_REQUIRE_2FA_ADMIN", True) is True  # the production default's reader


# --- the admin's reset ----------------------------------------------------------------------------------


def test_an_admin_resets_a_lost_authenticator(cast, client_for):
    officer = cast["officer"]
    enrol(officer)
    client = client_for(cast["admin"])
    url = f"/akun/pengguna/{officer.pk}/dua-langkah/atur-ulang/"
    assert "Aplikasi autentikator terdaftar" in client.get(url).content.decode()

    no_reason = client.post(url, {"reason": "  "})
    assert no_reason.status_code == 200
    assert TOTPDevice.objects.filter(user=officer).count() == 1

    done = client.post(url, {"reason": "ponsel hilang"})
    assert done.status_code == 302 and done["Location"] == f"/akun/pengguna/{officer.pk}/"
    assert TOTPDevice.objects.filter(user=officer).count() == 0
    event = AuditEvent.objects.get(action="account.twofactor_reset")
    assert (event.actor, event.object_id, event.reason) == (cast["admin"], str(officer.pk), "ponsel hilang")
    assert event.changes == {"twofactor": [True, False]}
    # The officer now signs in with the password alone.
    assert sign_in(Client(), "officer")["Location"] == "/"


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_no_one_but_an_admin_can_reset(cast, client_for, who):
    target = cast["officer"]
    enrol(target)
    events = AuditEvent.objects.count()
    response = client_for(cast[who]).post(f"/akun/pengguna/{target.pk}/dua-langkah/atur-ulang/",
                                          {"reason": "ponsel hilang"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=target, confirmed=True).count() == 1
    assert AuditEvent.objects.count() == events


def test_the_reset_service_refuses_a_non_admin_and_oneself(cast):
    from bansos.core.errors import DomainError, PermissionDeniedError

    enrol(cast["officer"])
    enrol(cast["admin"])
    with pytest.raises(PermissionDeniedError):
        twofactor.twofactor_reset(actor=cast["surveyor"], user=cast["officer"], reason="x")
    with pytest.raises(DomainError) as exc:
        twofactor.twofactor_reset(actor=cast["admin"], user=cast["admin"], reason="x")
    assert exc.value.code == "twofactor_reset_self"
    assert TOTPDevice.objects.count() == 2
    assert not AuditEvent.objects.filter(action="account.twofactor_reset").exists()
