from bansos.core.origin import client_ip, origin


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
