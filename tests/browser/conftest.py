"""Headless Chromium through Playwright, on Debian's /usr/bin/chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("BANSOS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 860},
    "phone": {"width": 360, "height": 740},
}


def _chromium_missing() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (install Debian's chromium package; CI does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _chromium_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django refuses ORM calls from a thread with a
    # running loop unless told this is fine (the tests drive the browser, not the ORM, there).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("networkidle")


def sign_out(page) -> None:
    """Open the account menu (the user's name in the top bar) and sign out."""
    page.locator("details.nav-account summary").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state("networkidle")


def htmx_swap(page, action) -> None:
    """Do ``action`` (a click or a choice that sends an htmx request) and wait until htmx has swapped the
    answer in and settled it. htmx binds its handlers to new content only when the swap settles (about
    20 ms later), so a choice made on a just-swapped element before that is lost."""
    with page.expect_response(lambda response: response.request.headers.get("hx-request") == "true"):
        action()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
