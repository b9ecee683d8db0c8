"""The installable web app: manifest and service worker, served under /warga/ so the worker's scope covers it."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods
from django.template.loader import render_to_string

# Bump when the shell changes in a way the static file names do not show (they are hashed in production).
SW_VERSION = "1"


def shell_urls() -> list[str]:
    """What the worker caches at install: the pages and files that make the portal readable offline."""
    return [reverse("portal:home"), reverse("portal:catalog"), reverse("portal:offline"),
            static("css/app.css"), static("portal/portal.css"), static("portal/portal.js"),
            static("portal/icon.svg"), static("portal/icon-192.png")]


@require_http_methods(["GET"])
@cache_control(max_age=3600, public=True)
def manifest(request):
    data = {
        "name": _t("Portal Warga Duri Kepa"), "short_name": _t("Warga"),
        "description": _t("Program bantuan, cek status, dan pendaftaran untuk warga Kelurahan Duri Kepa."),
        "lang": "id", "start_url": reverse("portal:home"), "scope": reverse("portal:home"),
        "display": "standalone", "background_color": "#ffffff", "theme_color": "#0f5c4d",
        "icons": [
            {"src": static("portal/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("portal/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("portal/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@require_http_methods(["GET"])
@cache_control(no_cache=True)
def service_worker(request):
    body = render_to_string("portal/sw.js", {
        "version": SW_VERSION, "shell": json.dumps(shell_urls()), "offline": json.dumps(reverse("portal:offline")),
        "scope": json.dumps(reverse("portal:home")),
    })
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("portal:home")
    return response
