"""Two-factor sign-in as a staff member does it: scan (here: read) the key, confirm, sign out, sign in
with the code; the pages run under the Content-Security-Policy."""

import os
import time

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("BANSOS_SHOTS_DIR", "")


def _code(secret_b32: str, steps: int = 0) -> str:
    import base64

    key = base64.b32decode(secret_b32.replace(" ", "") + "=" * (-len(secret_b32.replace(" ", "")) % 8))
    totp = TOTP(key, 30, 0, 6, 0)
    totp.time = time.time() + steps * 30
    return f"{totp.token():06d}"


def _shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}_{page.viewport_name}.png"), full_page=True)


def test_an_officer_enrols_and_signs_in_with_a_code(page, live_server, cast):
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/akun/dua-langkah/")
    assert page.locator(".twofactor-qr svg").count() == 1
    secret = page.locator("code.token-key").inner_text()
    _shot(page, "twofactor_setup")
    page.get_by_label("Kode 6 angka dari aplikasi autentikator").fill(_code(secret))
    page.get_by_role("button", name="Aktifkan").click()
    page.wait_for_load_state("networkidle")
    assert "Verifikasi dua langkah aktif" in page.content()
    _shot(page, "twofactor_active")

    page.context.clear_cookies()
    sign_in(page, live_server, "officer", PASSWORD)
    assert page.url.endswith("/akun/masuk/kode/")
    _shot(page, "twofactor_verify")
    page.get_by_label("Kode 6 angka dari aplikasi autentikator").fill(_code(secret, steps=1))
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/"
    assert refused == []
