"""Sections that other apps add to the signed-in resident's portal home (grievances, proposals, inbox, ...).

An app registers a section in its AppConfig.ready(); the portal home renders every section whose
context function returns a dict (None hides it). The portal never imports the apps that extend it.
The context function is called only for a signed-in resident with a household, and must read that
household's data only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PortalSection:
    key: str
    order: int  # smaller first
    template: str  # rendered with ``section`` (the dict below), ``household`` and ``request`` in context
    context: Callable[..., dict[str, Any] | None]  # called as context(user=..., household=...)


_SECTIONS: dict[str, PortalSection] = {}


def register_portal_section(section: PortalSection) -> None:
    _SECTIONS[section.key] = section


def portal_sections(*, user, household) -> list[dict[str, Any]]:
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        data = section.context(user=user, household=household)
        if data is not None:
            shown.append({"key": section.key, "template": section.template, "data": data})
    return shown
