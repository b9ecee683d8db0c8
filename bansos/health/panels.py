"""What the health app shows on the household page ("Kesehatan anak") and in its history.

Health data is specific personal data: the section shows only to the kelurahan admin and the cadres of the
posyandu serving the household's RT; everyone else reading the household's history sees that a health
record changed, never the measurements, z-scores or alerts.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _t

from bansos.accounts.permissions import P
from bansos.health.access import can_household


def household_health(*, user, household) -> dict[str, Any] | None:
    """The household's under-fives with their latest classifications and open alerts; None hides the panel."""
    from bansos.health.selectors import household_children

    if not getattr(user, "is_authenticated", False) or not can_household(user, P.HEALTH_VIEW, household):
        return None
    rows = household_children(household)
    if not rows:
        return None
    for row in rows:
        v = row["latest"]
        row["classes"] = [c for c in (v.haz_class, v.whz_class, v.waz_class) if c] if v else []
    return {"rows": rows}


def household_mothers(*, user, household) -> dict[str, Any] | None:
    """The household's pregnancies ("Kesehatan ibu"), for the admin and the area's cadres; None hides it."""
    from bansos.health.selectors_maternal import household_mothers as rows_of

    if not getattr(user, "is_authenticated", False) or not can_household(user, P.HEALTH_VIEW, household):
        return None
    rows = rows_of(household)
    return {"rows": rows, "can_record": can_household(user, P.HEALTH_RECORD, household)}


def redact_history(*, user, events: list) -> list:
    """Health events as ``user`` may read them (registered with registry.panels)."""
    if not any(e.action.startswith("health.") for e in events):
        return events
    from bansos.registry.models import Household

    ids = {e.household_id for e in events if e.action.startswith("health.") and e.household_id}
    allowed = {h.pk for h in Household.objects.filter(pk__in=ids) if can_household(user, P.HEALTH_VIEW, h)}
    label = _t("Data kesehatan")
    out = []
    for event in events:
        if event.action.startswith("health.") and event.household_id not in allowed:
            event = copy.copy(event)
            event.object_label = label
            event.changes = {}
            event.reason = ""
        out.append(event)
    return out
