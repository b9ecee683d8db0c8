"""Models of the portal app: activation challenges, office activation codes, and throttle counters.

Codes are never stored: only a keyed hash (HMAC with the deployment's secret key), so a copy of the
database alone does not let anyone try the 10^6 possible SMS codes offline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ActivationChallenge(models.Model):
    """One activation: the identity step creates it (whether or not the data matched), the code step ends it.

    A challenge whose data did not match has no resident: it is kept so that the next step behaves
    exactly as for a match (attempts counted, the same refusal), and nobody learns which NIKs exist.
    """

    token_hash = models.CharField(max_length=64, unique=True)  # the browser/API client holds the token
    resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    code_hash = models.CharField(max_length=64, blank=True)  # the SMS code; empty when no phone is on record
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)  # a right code was entered
    used_at = models.DateTimeField(null=True, blank=True)  # the password was set; nothing more to do
    office_code = models.ForeignKey("portal.OfficeCode", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="portal_challenge_created_idx")]


class OfficeCode(models.Model):
    """A single-use activation code printed at the kelurahan office for a resident without a phone."""

    resident = models.ForeignKey("registry.Resident", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("warga"))
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)  # a newer code for the same resident replaced it

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # One usable code per resident at a time: issuing a new one revokes the old one.
            models.UniqueConstraint(fields=["resident"], condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                                    name="portal_office_code_one_open"),
        ]


class ThrottleCount(models.Model):
    """Requests per key in one fixed window, kept in the database so every app server counts together."""

    key = models.CharField(max_length=100)  # "status:ip:<address>", "status:nik:<keyed hash>", ...
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="portal_throttle_key_window")]
        indexes = [models.Index(fields=["window_start"], name="portal_throttle_window_idx")]
