"""What the umkm app shows on the household page: the "Usaha mikro" section, and its events in the history.

Visibility follows the household page's rules for money (as the cash panel does): staff who manage the
business's program see it in full, the household's own resident sees its businesses; other staff (RT/RW
officers, cadres, officers of other agencies) see neither the section nor the details of its events.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _t

from bansos.accounts.models import Role
from bansos.umkm.access import can_manage_program


def _is_own(user, household) -> bool:
    return getattr(user, "role", None) == Role.RESIDENT and user.household_id == household.pk


def household_businesses(*, user, household) -> dict[str, Any] | None:
    """Businesses of the household with support, trend and repayment status; None hides the panel."""
    from bansos.umkm.forms import creatable_programs
    from bansos.umkm.selectors import household_businesses as rows_of, indicators_for

    if not getattr(user, "is_authenticated", False):
        return None
    own = _is_own(user, household)
    rows = [b for b in rows_of(household) if own or can_manage_program(user, b.program)]
    can_create = False
    if not own and user.role in (Role.ADMIN, Role.OFFICER):
        from bansos.programs.models import OPEN_STATES

        can_create = household.enrollments.filter(program__in=creatable_programs(user),
                                                  state__in=OPEN_STATES).exists()
    if not rows and not can_create:
        return None
    found = indicators_for(rows)
    return {"rows": [(b, found[b.pk]) for b in rows], "is_own": own, "can_create": can_create}


# Events of these types belong to a business; their details are hidden from those who may not see it.
def redact_history(*, user, events: list) -> list:
    """The household's UMKM events as ``user`` may read them (registered with registry.panels)."""
    role = getattr(user, "role", None)
    if role in (Role.ADMIN, Role.RESIDENT) or not any(e.action.startswith("umkm.") for e in events):
        return events
    allowed = None
    if role == Role.OFFICER and user.agency_id:
        from bansos.umkm.models import Business

        household_ids = {e.household_id for e in events if e.action.startswith("umkm.")}
        allowed = set(Business.objects.filter(household_id__in=household_ids, program__agency_id=user.agency_id)
                      .values_list("household_id", flat=True))
    label = _t("Usaha mikro (UMKM)")
    out = []
    for event in events:
        if event.action.startswith("umkm.") and not (allowed and event.household_id in allowed):
            event = copy.copy(event)
            event.object_label = label
            event.changes = {}
            event.reason = ""
        out.append(event)
    return out
