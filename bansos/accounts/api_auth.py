"""How API callers prove who they are: a bearer token (integrations) or the browser session.

A token acts exactly as its owner: the same role and scope, checked by the same permission
module. A presented but unusable token is refused outright rather than falling back to the
session, so an integration never silently runs as whoever happens to be signed in.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from bansos.accounts.permissions import P, has_role_perm
from bansos.accounts.tokens import token_authenticate
from bansos.core.errors import DomainError

MSG_NOT_AUTHENTICATED = _("Silakan masuk atau kirim token API yang sah.")
MSG_INVALID_TOKEN = _("Token API tidak dikenal, sudah dicabut, atau pemiliknya tidak aktif.")
MSG_CSRF_FAILED = _("Permintaan ditolak: token CSRF tidak ada atau tidak sah. Muat ulang halaman lalu coba lagi.")


class NotAuthenticated(DomainError):
    status = 401

    def __init__(self, code: str = "not_authenticated", message=MSG_NOT_AUTHENTICATED) -> None:
        super().__init__(code, message)


class CsrfFailed(DomainError):
    status = 403

    def __init__(self) -> None:
        super().__init__("csrf_failed", MSG_CSRF_FAILED)


def _bearer_key(request: HttpRequest) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, "" when the scheme is Bearer but no key."""
    value = request.headers.get("Authorization", "")
    scheme, _sep, key = value.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return key.strip()


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``; a revoked, unknown or orphaned key answers 401."""

    def __call__(self, request: HttpRequest):
        key = _bearer_key(request)
        if key is None:
            return None
        return self.authenticate(request, key)

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is None:
            raise NotAuthenticated("invalid_token", MSG_INVALID_TOKEN)
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token as on the pages."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        # Authentication first, CSRF second: an anonymous caller is told to sign in (401), not
        # that its CSRF token is missing.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return user

    def authenticate(self, request: HttpRequest, key):  # pragma: no cover - __call__ does the work
        return None


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)


def docs_access(view):
    """Guard the API docs and schema: API_DOCS users only; the browser is sent to sign in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        key = _bearer_key(request)
        if key is not None:
            user = token_authenticate(key)
            if user is None:
                body = {"code": "invalid_token", "message": str(MSG_INVALID_TOKEN), "errors": {}}
                response = JsonResponse(body, status=401)
                response["WWW-Authenticate"] = 'Bearer realm="api"'
                return response
        else:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
        if not has_role_perm(user, P.API_DOCS):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
