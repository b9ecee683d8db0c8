from bansos.core.origin import client_ip, origin


class ApiNulGuardMiddleware:
    """Refuse API input holding a NUL character, for every operation at once (422, nothing changed).

    PostgreSQL cannot store NUL in text (psycopg raises, a 500), SQLite would store it silently, and the
    pages' forms already refuse it (Django's CharField); the API schemas would let it through. Query
    strings, form bodies and JSON bodies are checked; uploads (multipart) are files, checked by their parsers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and self._has_nul(request):
            from django.http import JsonResponse
            from django.utils.translation import gettext as _

            message = _("Teks tidak boleh berisi karakter NUL (\\u0000).")
            return JsonResponse({"code": "validation_failed", "message": message, "errors": {"__all__": [message]}},
                                status=422)
        return self.get_response(request)

    def _has_nul(self, request) -> bool:
        from urllib.parse import unquote_to_bytes

        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")) or "\x00" in request.path:
            return True
        kind = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH") and kind.startswith(
                ("application/json", "application/x-www-form-urlencoded")):
            body = request.body
            if kind.startswith("application/json"):
                if b"\x00" in body:
                    return True
                return b"\\u0000" in body and _json_holds_nul(body)
            return b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))
        return False


def _json_holds_nul(body: bytes) -> bool:
    """Whether a decoded JSON document holds NUL in a string (a literal backslash-u0000 text does not)."""
    import json

    try:
        document = json.loads(body)
    except ValueError:
        return False  # not JSON: the API's own parser answers it
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class RequestOriginMiddleware:
    """Record the request's channel, address and path for the audit events it causes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        with origin(
            channel=channel,
            ip=client_ip(request),
            path=request.path[:200],
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
        ):
            return self.get_response(request)


class LanguageMiddleware:
    """Indonesian unless the user chose another language with the switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a phone set to
    English would get a half-translated page; the platform's language is the kelurahan's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() puts the thread's previous language back afterwards, so a later request or a
        # task run on the same thread does not inherit this user's choice.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
