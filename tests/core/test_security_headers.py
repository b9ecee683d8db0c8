"""The Content-Security-Policy header, and the templates it relies on (no inline code anywhere)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bansos

TEMPLATE_ROOT = Path(bansos.__file__).parent

# What the policy refuses in a page: an inline script (one without src, other than a JSON data block),
# a <style> block, a style="" attribute, an on*="" event handler, a javascript: URL.
INLINE = [
    ("inline script", re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)),
    ("style block", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"\sstyle=", re.I)),
    ("event handler attribute", re.compile(r"\son[a-z]+=\"", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def _templates():
    return sorted(TEMPLATE_ROOT.rglob("templates/**/*.html"))


def test_there_are_templates_to_check():
    assert len(_templates()) > 50


@pytest.mark.parametrize("label,pattern", INLINE, ids=[label for label, _ in INLINE])
def test_no_template_holds_inline_code(label, pattern):
    found = [f"{path.relative_to(TEMPLATE_ROOT)}: {m.group(0)}" for path in _templates()
             for m in [pattern.search(path.read_text(encoding="utf-8"))] if m]
    assert not found, f"{label} in templates (the Content-Security-Policy refuses it): {found}"


def test_the_checker_itself_finds_inline_code():
    page = '<div style="color:red" onclick="x()"><script>alert(1)</script><style>p{}</style></div>'
    assert all(pattern.search(page) for _label, pattern in INLINE[:4])
    assert not INLINE[0][1].search('<script src="/static/a.js"></script>')
    assert not INLINE[0][1].search('<script type="application/json" id="s">{}</script>')


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/akun/masuk/", "/"])
def test_pages_send_a_policy_without_unsafe_inline(client, path):
    response = client.get(path, follow=True)
    policy = _policy(response)
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


def test_signed_in_pages_and_the_api_send_the_policy(cast, client_for):
    client = client_for(cast["admin"])
    for path in ("/registri/", "/program/", "/api/docs"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response.headers["Content-Security-Policy"], path
