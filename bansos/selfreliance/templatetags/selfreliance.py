"""Template filters of the selfreliance app."""

from __future__ import annotations

from django import template

from bansos.selfreliance.formats import month_label

register = template.Library()


@register.filter
def bulan(value):
    """A month as "Maret 2025" (Indonesian; English when the page is in English)."""
    return month_label(value) if value else "—"
