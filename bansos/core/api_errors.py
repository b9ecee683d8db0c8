"""Map errors to JSON responses in one place.

Every error body has the same shape, so clients need one code path:
``{"code": "<stable code>", "message": "<Indonesian text>", "errors": {field: [messages]}}``.
Schema errors (wrong type, missing field) use the same ``validation_failed`` code and the same
Indonesian wording as the services' own checks.
"""

from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError as NinjaValidationError

from bansos.core.errors import MSG_NOT_FOUND, DomainError, ValidationFailed

try:  # an operation answers another status than 200 with Status(code, body)
    from ninja import Status
except ImportError:  # django-ninja < 1.5 takes a (status, body) tuple
    def Status(code, body):  # noqa: N802
        return code, body

MSG_NOT_AUTHENTICATED = _("Silakan masuk atau kirim token API yang sah.")
MSG_INVALID_INPUT = _("Data yang dikirim tidak valid.")
MSG_NUMBER_OUT_OF_RANGE = _("Ada angka yang terlalu besar (atau terlalu kecil) untuk disimpan atau dicari.")

# pydantic error type -> Indonesian message (ctx values are substituted by name).
_SCHEMA_MESSAGES: dict[str, Any] = {
    "missing": _("Wajib diisi."),
    "int_parsing": _("Harus berupa bilangan bulat."),
    "int_type": _("Harus berupa bilangan bulat."),
    "int_from_float": _("Harus berupa bilangan bulat."),
    "float_parsing": _("Harus berupa angka."),
    "bool_parsing": _("Harus bernilai true atau false."),
    "bool_type": _("Harus bernilai true atau false."),
    "string_type": _("Harus berupa teks."),
    "string_too_long": _("Paling banyak %(max_length)s karakter."),
    "string_too_short": _("Paling sedikit %(min_length)s karakter."),
    "date_parsing": _("Tanggal tidak valid; gunakan format TTTT-BB-HH."),
    "date_from_datetime_parsing": _("Tanggal tidak valid; gunakan format TTTT-BB-HH."),
    "date_from_datetime_inexact": _("Tanggal tidak valid; gunakan format TTTT-BB-HH."),
    "date_type": _("Tanggal tidak valid; gunakan format TTTT-BB-HH."),
    "enum": _("Pilihan tidak valid. Pilihan yang tersedia: %(expected)s."),
    "literal_error": _("Pilihan tidak valid. Pilihan yang tersedia: %(expected)s."),
    "greater_than_equal": _("Paling kecil %(ge)s."),
    "greater_than": _("Harus lebih besar dari %(gt)s."),
    "less_than_equal": _("Paling besar %(le)s."),
    "less_than": _("Harus lebih kecil dari %(lt)s."),
    "list_type": _("Harus berupa daftar."),
    "dict_type": _("Harus berupa objek."),
    "model_type": _("Harus berupa objek."),
    "model_attributes_type": _("Harus berupa objek."),
    "json_invalid": _("Isi permintaan bukan JSON yang valid."),
    "extra_forbidden": _("Kolom ini tidak dikenal."),
}
_FALLBACK_MESSAGE = _("Nilai tidak valid.")
_LOCATION_PARTS = {"body", "query", "path", "header", "cookie", "form", "file", "payload", "filters"}


def error_body(exc: DomainError) -> dict:
    if isinstance(exc, ValidationFailed):
        errors = {field: [str(m) for m in messages] for field, messages in exc.errors.items()}
    elif exc.field:
        errors = {exc.field: [exc.text]}
    else:
        errors = {}
    return {"code": exc.code, "message": exc.text, "errors": errors}


def schema_message(item: dict) -> str:
    """The Indonesian message for one pydantic error."""
    template = _SCHEMA_MESSAGES.get(item.get("type", ""), _FALLBACK_MESSAGE)
    text = str(template)
    ctx = {k: str(v) for k, v in (item.get("ctx") or {}).items()}
    if "expected" in ctx:  # pydantic writes "'L' or 'P'"
        ctx["expected"] = ctx["expected"].replace(" or ", " atau ")
    try:
        return text % ctx if "%(" in text else text
    except KeyError:
        return str(_FALLBACK_MESSAGE)


def schema_errors(exc: NinjaValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ())]
        # An uploaded file's parameter name is the multipart field the client sent: keep it.
        upload = loc[1] if len(loc) == 2 and loc[0] == "file" else None
        # Drop the leading "body"/"query" and the operation's parameter name: clients know fields.
        while loc and loc[0] in _LOCATION_PARTS:
            loc.pop(0)
        errors.setdefault(".".join(loc) or upload or "__all__", []).append(schema_message(item))
    return errors


def _json(api: NinjaAPI, request, body: dict, status: int):
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return _json(api, request, error_body(exc), exc.status)

    @api.exception_handler(NinjaValidationError)
    def schema_error(request, exc: NinjaValidationError):
        errors = schema_errors(exc)
        first = next(iter(errors.values()))[0] if errors else str(MSG_INVALID_INPUT)
        return _json(api, request, {"code": "validation_failed", "message": first, "errors": errors}, 422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return _json(
            api, request, {"code": "not_authenticated", "message": str(MSG_NOT_AUTHENTICATED), "errors": {}}, 401
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _json(api, request, {"code": "not_found", "message": str(MSG_NOT_FOUND), "errors": {}}, 404)

    # An integer beyond the database's 64 bits (an id, an offset, a quota) fails in the driver: SQLite raises
    # OverflowError, PostgreSQL "value out of range". The statement never ran or was rolled back with the
    # request's transaction, so nothing changed: answer as for any invalid input, whichever operation it was.
    @api.exception_handler(OverflowError)
    def overflow(request, exc: OverflowError):
        return _json(api, request, {"code": "number_out_of_range", "message": str(MSG_NUMBER_OUT_OF_RANGE),
                                    "errors": {}}, 422)

    @api.exception_handler(DataError)
    def data_error(request, exc: DataError):
        if "out of range" not in str(exc):
            raise exc
        return overflow(request, OverflowError(str(exc)))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return _json(
            api, request, {"code": f"http_{exc.status_code}", "message": str(exc.message), "errors": {}},
            exc.status_code,
        )


class ErrorOut(Schema):
    """Every error answer of the API."""

    code: str = Field(description="Stable machine-readable code, e.g. validation_failed, not_found")
    message: str = Field(description="Human-readable text (Indonesian by default)")
    errors: dict[str, list[str]] = Field(description="Messages per field; members.0.nik for a member's NIK")


ERROR_RESPONSES = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
