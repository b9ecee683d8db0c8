"""Map domain errors to JSON responses in one place."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError as NinjaValidationError

from bansos.core.errors import DomainError, ValidationFailed


def error_body(exc: DomainError) -> dict:
    body = {"code": exc.code, "message": exc.text}
    if isinstance(exc, ValidationFailed):
        body["errors"] = exc.errors
    elif exc.field:
        body["errors"] = {exc.field: [exc.text]}
    return body


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, error_body(exc), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def schema_error(request, exc: NinjaValidationError):
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            loc = [str(part) for part in item.get("loc", []) if part not in ("body", "query", "path", "payload")]
            errors.setdefault(".".join(loc) or "__all__", []).append(item.get("msg", ""))
        return api.create_response(
            request, {"code": "invalid_input", "message": "Input tidak valid.", "errors": errors}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return api.create_response(
            request, {"code": "not_authenticated", "message": "Silakan masuk atau kirim token API yang sah."},
            status=401,
        )
