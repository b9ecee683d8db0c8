"""Sections that other apps add to the household page (welfare score, programs, payments, health).

An app registers a panel in its AppConfig.ready(); the household page renders every panel whose
context function returns a dict (None hides it, e.g. when the user may not see that data). The
registry never imports the apps that extend its page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HouseholdPanel:
    key: str
    order: int  # smaller first; the registry's own sections sit before all panels
    template: str  # rendered with ``panel`` (the dict below), ``household`` and ``request`` in context
    context: Callable[..., dict[str, Any] | None]  # called as context(user=..., household=...)


_PANELS: dict[str, HouseholdPanel] = {}


def register_household_panel(panel: HouseholdPanel) -> None:
    _PANELS[panel.key] = panel


def household_panels(*, user, household) -> list[dict[str, Any]]:
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        data = panel.context(user=user, household=household)
        if data is not None:
            shown.append({"key": panel.key, "template": panel.template, "data": data})
    return shown


# Other apps may narrow what a user reads of their events in the household history (e.g. a program
# officer reads another agency's enrollments as "a cash program of another agency"). Each filter is
# called as filter(user=..., events=[AuditEvent, ...]) and returns the events to show, never saving.
_HISTORY_FILTERS: list[Callable[..., list[Any]]] = []


def register_history_filter(fn: Callable[..., list[Any]]) -> None:
    if fn not in _HISTORY_FILTERS:
        _HISTORY_FILTERS.append(fn)


def history_for(*, user, events) -> list[Any]:
    """The household's audit events as ``user`` may read them."""
    events = list(events)
    for fn in _HISTORY_FILTERS:
        events = fn(user=user, events=events)
    return events
