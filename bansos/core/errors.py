"""One domain-error type for the whole platform.

Services raise ``DomainError`` with a stable ``code``; pages turn it into a form error or a
message, the API into a JSON body with the same code. Messages are translatable constants so
tests can reuse them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was changed."""

    # HTTP status the API answers with; subclasses narrow it.
    status = 400

    def __init__(self, code: str, message: Any, *, field: str | None = None, **params: Any) -> None:
        self.code = code
        self.message = message
        self.field = field
        self.params = params
        super().__init__(f"{code}: {self.text}")

    @property
    def text(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class ValidationFailed(DomainError):
    """Input failed validation; ``errors`` maps field name to a list of messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        first = next(iter(errors.values()))[0] if errors else ""
        super().__init__("validation_failed", first)


class PermissionDeniedError(DomainError):
    status = 403

    def __init__(self, message: Any = None) -> None:
        super().__init__("permission_denied", message or MSG_PERMISSION_DENIED)


class NotFoundError(DomainError):
    status = 404

    def __init__(self, message: Any = None) -> None:
        super().__init__("not_found", message or MSG_NOT_FOUND)


MSG_PERMISSION_DENIED = _("Anda tidak berwenang melakukan tindakan ini.")
MSG_NOT_FOUND = _("Data tidak ditemukan.")


class Errors(dict):
    """Collects field -> messages so a user sees every problem of a form at once."""

    def add(self, field: str, message: Any, **params: Any) -> None:
        text = str(message)
        self.setdefault(field, []).append(text % params if params else text)

    def add_domain(self, error: DomainError) -> None:
        self.setdefault(error.field or "__all__", []).append(error.text)


def raise_if_errors(errors: dict[str, list[str]]) -> None:
    """Raise ValidationFailed with the collected errors, if there are any."""
    if errors:
        raise ValidationFailed(dict(errors))
