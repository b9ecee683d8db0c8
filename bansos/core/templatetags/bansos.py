"""Template helpers: money, Indonesian dates, NIK masking, permission checks."""

from __future__ import annotations

from django import template

from bansos.accounts.permissions import P, has_perm
from bansos.core import formats

register = template.Library()


@register.filter
def rupiah(value):
    return formats.rupiah(value)


@register.filter
def tanggal(value):
    return formats.tanggal(value)


@register.filter
def tanggal_jam(value):
    return formats.tanggal(value, with_time=True)


@register.simple_tag(takes_context=True)
def nik(context, resident_or_nik, household=None):
    """The NIK in full for roles that need it within their scope, masked for everyone else."""
    user = context["request"].user
    value = getattr(resident_or_nik, "nik", resident_or_nik)
    target = household or getattr(resident_or_nik, "household", None)
    if target is not None and has_perm(user, P.NIK_FULL, target):
        return value
    return formats.mask_nik(value)


@register.simple_tag(takes_context=True)
def can(context, perm, obj=None):
    return has_perm(context["request"].user, perm, obj)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def action_label(code):
    from bansos.core.audit import action_label as label

    return label(code)
