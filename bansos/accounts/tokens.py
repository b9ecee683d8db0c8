"""API tokens: create, revoke, and recognise a presented key.

The key is shown once and never stored: only its SHA-256 hash (to find it) and a short prefix (so
people can tell their tokens apart on the list page). A 32-byte random key makes a plain hash
enough; a slow password hash would only cost time on every API call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import ApiToken, User
from bansos.accounts.permissions import STAFF_ROLES, P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, ValidationFailed

PREFIX_LENGTH = 8
NAME_MAX_LENGTH = 100
# last_used_at is a hint for people cleaning up tokens, not an access log: writing it on every
# call would turn each read into a write (and a lock on SQLite).
LAST_USED_PRECISION = dt.timedelta(minutes=1)

MSG_NAME_REQUIRED = _("Tuliskan nama token, misalnya nama aplikasi yang memakainya.")
MSG_NAME_TOO_LONG = _("Nama token paling banyak 100 karakter.")
MSG_OWNER_NOT_STAFF = _("Token hanya dapat dibuat untuk petugas yang aktif.")
MSG_ALREADY_REVOKED = _("Token ini sudah dicabut.")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_create(*, actor, owner: User, name: str) -> tuple[ApiToken, str]:
    """Create a token acting as ``owner``; return it with the key, which is never stored."""
    require(actor, P.TOKENS_MANAGE)
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [str(MSG_NAME_REQUIRED)]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [str(MSG_NAME_TOO_LONG)]
    # Residents reach their own household through the portal, not through integrations.
    if owner is None or not owner.is_active or owner.role not in STAFF_ROLES:
        errors["user"] = [str(MSG_OWNER_NOT_STAFF)]
    if errors:
        raise ValidationFailed(errors)
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=owner, name=name, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key))
        audit_log(
            actor=actor, action="token.create", obj=token,
            changes={"user": [None, owner.get_username()], "name": [None, name], "prefix": [None, token.prefix]},
        )
    return token, key


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token; calls made with it are refused from now on."""
    require(actor, P.TOKENS_MANAGE)
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if locked.revoked_at is not None:
            raise DomainError("token_revoked", MSG_ALREADY_REVOKED)
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_log(
            actor=actor, action="token.revoke", obj=locked,
            changes={"revoked_at": [None, locked.revoked_at]},
        )
    return locked


def token_authenticate(key: str) -> User | None:
    """The active owner of a live token with this key, or None; notes when the token was used."""
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # Conditional so that concurrent calls within the same minute write at most once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
        ).update(last_used_at=now)
    token.user.api_token = token
    return token.user


# --- Reads ------------------------------------------------------------------------------------


def token_list() -> QuerySet[ApiToken]:
    """Every token with its owner, live ones first, newest first."""
    return ApiToken.objects.select_related("user").order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at", "-pk"
    )


def token_owner_choices() -> QuerySet[User]:
    """Active staff users a token may be created for."""
    return User.objects.filter(is_active=True, role__in=STAFF_ROLES).order_by("username")
