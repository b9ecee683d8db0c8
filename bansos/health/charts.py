"""Growth charts drawn on the server as inline SVG: the child's points on the WHO median and ±2/±3 SD curves.

Coordinates are pre-formatted strings with a dot (never localised), so the template only places them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from bansos.health.growth import HFA, MAX_AGE_DAYS, WFA, curve

WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 14, 36
DAYS_PER_MONTH = 30.4375
SDS = ((-3, "sd3"), (-2, "sd2"), (0, "median"), (2, "sd2"), (3, "sd3"))
TITLES = {WFA: _("Berat badan menurut umur (kg)"), HFA: _("Panjang/tinggi badan menurut umur (cm)")}


@dataclass
class Chart:
    indicator: str
    title: str
    width: int
    height: int
    curves: list[dict]
    points: list[dict]
    path: str
    x_ticks: list[dict]
    y_ticks: list[dict]
    plot: dict


def _f(x: float) -> str:
    return f"{x:.1f}"


def growth_chart(indicator: str, sex: str, visits: list) -> Chart:
    """A chart of ``indicator`` (WFA or HFA) for a child of ``sex`` with their visits (ChildVisit rows)."""
    measured = []
    for v in visits:
        value = v.weight_kg if indicator == WFA else v.length_used_cm
        if value is not None and v.age_days <= MAX_AGE_DAYS and not (indicator == WFA and v.oedema):
            measured.append((v.age_days, float(value), v))
    last_month = max([a for a, _v, _o in measured] or [0]) / DAYS_PER_MONTH
    months = min(60, max(24, int(math.ceil((last_month + 6) / 6.0) * 6)))
    end = min(MAX_AGE_DAYS, int(months * DAYS_PER_MONTH))
    days = range(0, end + 1, 15)
    lines = [(sd, cls, curve(indicator, sex, sd, days)) for sd, cls in SDS]
    y_values = [y for _sd, _c, pts in lines for _d, y in pts] + [y for _a, y, _v in measured]
    step = 1 if indicator == WFA else 5
    y_min = math.floor(min(y_values) / step) * step
    y_max = math.ceil(max(y_values) / step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(d: float) -> float:
        return LEFT + plot_w * d / end

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - y_min) / (y_max - y_min))

    curves = [{"cls": cls, "sd": sd, "points": " ".join(f"{_f(x(d))},{_f(y(v))}" for d, v in pts),
               "label_x": _f(x(pts[-1][0]) - 2), "label_y": _f(y(pts[-1][1]) - 3),
               "label": "0" if sd == 0 else f"{sd:+d}"} for sd, cls, pts in lines]
    points = [{"cx": _f(x(a)), "cy": _f(y(val)), "title": f"{v.visit_date:%d-%m-%Y}: {val:g}".replace(".", ","),
               "tone": "bad" if ((v.waz_class if indicator == WFA else v.haz_class) in
                                 ("bb_sangat_kurang", "bb_kurang", "sangat_pendek", "pendek")) else "good"}
              for a, val, v in measured]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p['cx']},{p['cy']}" for i, p in enumerate(points))
    x_ticks = [{"x": _f(x(m * DAYS_PER_MONTH)), "label": str(m)} for m in range(0, months + 1, 6)
               if m * DAYS_PER_MONTH <= end + 1]
    span = y_max - y_min
    y_step = step if span / step <= 12 else step * math.ceil(span / step / 10)
    y_ticks = [{"y": _f(y(v)), "label": str(v)} for v in range(int(y_min), int(y_max) + 1, int(y_step))]
    return Chart(indicator=indicator, title=str(TITLES[indicator]), width=WIDTH, height=HEIGHT, curves=curves,
                 points=points, path=path, x_ticks=x_ticks, y_ticks=y_ticks,
                 plot={"left": LEFT, "top": TOP, "right": WIDTH - RIGHT, "bottom": HEIGHT - BOTTOM,
                       "mid_x": _f(LEFT + plot_w / 2), "label_y": HEIGHT - 4})
