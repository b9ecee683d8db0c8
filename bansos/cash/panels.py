"""What the cash app shows on the household page: the "Bantuan tunai" section, and its events in the history."""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _t

from bansos.accounts.models import Role
from bansos.cash.access import can_view_cycle
from bansos.cash.models import Entitlement, PayeeAccount
from bansos.cash.selectors import household_entitlements

ENTITLEMENT_TYPE = Entitlement._meta.label_lower
ACCOUNT_TYPE = PayeeAccount._meta.label_lower


def household_payments(*, user, household) -> dict[str, Any] | None:
    """Entitlements of programs the user may see the payments of, and payee accounts; None hides the panel."""
    from bansos.cash.selectors_cycles import household_panel

    rows = [e for e in household_entitlements(household) if can_view_cycle(user, e.cycle.program)
            or (user.role == "resident" and user.household_id == household.pk)]
    return household_panel(user=user, household=household, entitlements=rows)


def _mask(value: Any) -> Any:
    if not isinstance(value, str) or len(value) <= 4:
        return value
    return "*" * (len(value) - 4) + value[-4:]


def redact_history(*, user, events: list) -> list:
    """The household's cash events as ``user`` may read them (registered with registry.panels).

    An officer reads another agency's payment events without the program or the cycle; RT/RW officers
    and cadres read account numbers masked. Events are copied, never saved.
    """
    role = getattr(user, "role", None)
    if role not in (Role.OFFICER, Role.SURVEYOR, Role.CADRE):
        return events
    if role != Role.OFFICER:
        out = []
        for event in events:
            if event.object_type == ACCOUNT_TYPE:
                event = copy.copy(event)
                changes = event.changes or {}
                if "account_number" in changes:
                    number = changes["account_number"]
                    masked = [_mask(v) for v in number] if isinstance(number, list) else _mask(number)
                    event.changes = {**changes, "account_number": masked}
                # The event's label is the account itself ("<institution>: <number>").
                institution, sep, number = (event.object_label or "").rpartition(": ")
                if sep:
                    event.object_label = f"{institution}: {_mask(number)}"
            out.append(event)
        return out
    ids = {int(e.object_id) for e in events if e.object_type == ENTITLEMENT_TYPE and str(e.object_id).isdigit()}
    if not ids:
        return events
    hidden = {str(pk) for pk in Entitlement.objects.filter(pk__in=ids).exclude(
        cycle__program__agency_id=user.agency_id).values_list("pk", flat=True)}
    if not hidden:
        return events
    from bansos.programs.panels import other_agency_label

    label = f"{_t('Bantuan tunai')} ({other_agency_label()})"
    out = []
    for event in events:
        if event.object_type == ENTITLEMENT_TYPE and str(event.object_id) in hidden:
            event = copy.copy(event)
            event.object_label = label
            event.changes = {}
            event.reason = ""
        out.append(event)
    return out
