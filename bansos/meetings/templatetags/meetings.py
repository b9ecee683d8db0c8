"""Template helpers of the meeting pages."""

from __future__ import annotations

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def percent(share):
    """A share 0..1 as ``62,5%`` (``62.5%`` in English); ``–`` when unknown."""
    if share is None:
        return "–"
    text = f"{share * 100:.1f}".rstrip("0").rstrip(".")
    if not (translation.get_language() or "").startswith("en"):
        text = text.replace(".", ",")
    return f"{text}%"
