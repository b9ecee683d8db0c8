"""Labels of the UMKM indicators (trend, repayment status) for the templates."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _t
from django.utils.translation import ngettext

from bansos.umkm import arithmetic as ar

register = template.Library()

TREND_ARROWS = {ar.NAIK: "▲", ar.TURUN: "▼", ar.STABIL: "▬", ar.KURANG_DATA: ""}


@register.filter
def trend_label(trend) -> str:
    return {ar.NAIK: _t("Naik"), ar.TURUN: _t("Turun"), ar.STABIL: _t("Stabil"),
            ar.KURANG_DATA: _t("Belum cukup data")}.get(trend.code, "")


@register.filter
def trend_arrow(trend) -> str:
    return TREND_ARROWS.get(trend.code, "")


@register.simple_tag
def repayment_label(status: str, days: int = 0) -> str:
    if status == ar.MENUNGGAK:
        return ngettext("Menunggak %(n)s hari", "Menunggak %(n)s hari", days) % {"n": days}
    return {ar.LUNAS: _t("Lunas"), ar.LANCAR: _t("Lancar"), ar.BELUM_CAIR: _t("Belum dicairkan"),
            "": _t("Tanpa pinjaman")}.get(status, status)


@register.filter
def repayment_class(status: str) -> str:
    return {ar.LUNAS: "umkm-ok", ar.LANCAR: "umkm-ok", ar.MENUNGGAK: "umkm-late"}.get(status, "umkm-none")


@register.filter
def month_label(day) -> str:
    from bansos.core.formats import _month_name

    return f"{_month_name(day.month)} {day.year}" if day else "-"


@register.filter
def bp_pct(bp: int) -> str:
    """Basis points as a percent, Indonesian decimal comma: 1250 → ``12,5 %``."""
    whole, rest = divmod(int(bp or 0), 100)
    text = f"{whole},{rest:02d}".rstrip("0").rstrip(",") if rest else str(whole)
    return f"{text} %"
