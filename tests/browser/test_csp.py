"""Pages run under the Content-Security-Policy without the browser refusing anything on them."""

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PAGES = ["/", "/registri/", "/program/", "/bantuan-tunai/", "/kelayakan/", "/kesejahteraan/", "/api/docs"]


def test_no_page_breaks_the_content_security_policy(page, live_server, cast):
    refused = []
    page.on("console", lambda msg: refused.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text else None)
    sign_in(page, live_server, "admin", PASSWORD)
    household = cast["households"]["rw1"]
    for path in [*PAGES, f"/registri/keluarga/{household.pk}/"]:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert refused == []


def test_the_browser_does_refuse_an_injected_inline_script(page, live_server, cast):
    """The other half: the policy is really enforced (the check above could not fail otherwise)."""
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, live_server, "admin", PASSWORD)
    page.evaluate("""() => {
        const s = document.createElement('div');
        s.innerHTML = '<img src="x" onerror="window.__pwned = 1">';
        document.body.appendChild(s);
    }""")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    assert refused
