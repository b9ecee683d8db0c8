"""The settings of the public beneficiary list (admin: ``P.AREAS_MANAGE``)."""

from __future__ import annotations

from django.db import transaction

from bansos.accounts.permissions import P, require
from bansos.community.models import Audience, ListingSettings, Masking
from bansos.community.services.common import MSG_INVALID_CHOICE
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError


def listing_settings() -> ListingSettings:
    """The one settings row (made with the defaults on first use)."""
    settings, _created = ListingSettings.objects.get_or_create(pk=1)
    return settings


@transaction.atomic
def listing_settings_update(*, actor, enabled: bool, audience: str, masking: str, programs, agencies
                            ) -> ListingSettings:
    """Turn the list on or off, choose who sees it, how names are masked, which programs and agencies."""
    require(actor, P.AREAS_MANAGE)
    if audience not in Audience.values:
        raise DomainError("invalid_choice", MSG_INVALID_CHOICE, field="audience")
    if masking not in Masking.values:
        raise DomainError("invalid_choice", MSG_INVALID_CHOICE, field="masking")
    settings = listing_settings()
    settings = ListingSettings.objects.select_for_update().get(pk=settings.pk)
    before = {"enabled": settings.enabled, "audience": settings.audience, "masking": settings.masking,
              "programs": sorted(settings.programs.values_list("pk", flat=True)),
              "agencies": sorted(settings.consenting_agencies.values_list("pk", flat=True))}
    settings.enabled, settings.audience, settings.masking, settings.updated_by = bool(enabled), audience, masking, actor
    settings.save()
    settings.programs.set(list(programs))
    settings.consenting_agencies.set(list(agencies))
    after = {"enabled": settings.enabled, "audience": settings.audience, "masking": settings.masking,
             "programs": sorted(p.pk for p in programs), "agencies": sorted(a.pk for a in agencies)}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_log(actor=actor, action="community.listing.update", obj=settings, object_label="Daftar penerima",
              changes=changes)
    return settings
