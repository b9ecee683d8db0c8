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
