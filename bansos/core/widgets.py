"""Form widgets tuned for long option lists."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A select whose options are rendered in Python rather than one template each.

    Django renders every <option> through its own template; with the 150-200 RTs of a kelurahan
    that was most of the household list's rendering time. Output is the same markup.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            inner = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    ("" if o["value"] is None else o["value"], mark_safe(" selected") if o["selected"] else "",
                     o["label"])
                    for o in options
                ),
            )
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, inner) if group_name else inner)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]),
                           mark_safe("".join(str(p) for p in parts)))
