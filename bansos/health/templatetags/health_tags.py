from django import template

from bansos.health import growth

register = template.Library()


@register.filter
def health_class(code):
    """The Permenkes 2/2020 words of a classification code."""
    return growth.class_label(code)


@register.filter
def health_tone(code):
    """The badge colour of a classification code (danger, warn, ok, info)."""
    return growth.class_tone(code) or "off"


@register.filter
def health_months(days):
    """An age in days as "1 th 3 bln" (years and completed months) for the pages."""
    if days is None:
        return ""
    months = int(days / 30.4375)
    years, rest = divmod(months, 12)
    if years:
        return f"{years} th {rest} bln"
    return f"{months} bln" if months else f"{days} hr"
