"""Charts drawn on the server as SVG markup (CSP forbids inline script; no chart library needed).

Each function returns safe markup: every text is escaped, every number formatted here with a dot.
Colours are SVG presentation attributes (``fill``/``stroke``), which the strict style-src allows.
The numbers behind every chart are on the same page as a table and as CSV.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PALETTE = ("#1f6f8b", "#e07a1f", "#3a9d5d", "#b23a48", "#7a5195", "#8c6d1f", "#4b6584", "#999999")
# Sequential blues for the map, light (low) to dark (high).
SCALE = ("#eff6fb", "#c6dbef", "#9ecae1", "#4292c6", "#08519c")
NO_DATA = "#e6e6e6"


def _f(x: float) -> str:
    return f"{x:.1f}"


def fmt_number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if unit == "percent":
        return f"{value:.1f}".replace(".", ",") + "%"
    if unit == "rupiah":
        return "Rp " + f"{int(round(value)):,}".replace(",", ".")
    text = f"{int(value):,}".replace(",", ".") if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
    return _("%(n)s hari") % {"n": text} if unit == "days" else text


def fmt_change(change: float | None, unit: str = "") -> str:
    """The change since the previous month, signed; a percentage moves in percentage points ("poin")."""
    if change is None:
        return ""
    sign = "+" if change > 0 else ""
    if unit == "percent":
        return sign + _("%(n)s poin") % {"n": f"{change:.1f}".replace(".", ",")}
    return sign + fmt_number(change, unit)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 2.5, 5, 10):
        magnitude = 10 ** (len(str(int(value))) - 1)
        if step * magnitude >= value:
            return step * magnitude
    return value


def _svg(width: int, height: int, title: str, body: list[str], css: str = "mon-chart") -> SafeString:
    return mark_safe(
        f'<svg class="{css}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}</svg>')


def line_chart(title: str, points: list[tuple[str, float | None]], *, unit: str = "",
               target: float | None = None, width: int = 320, height: int = 120) -> SafeString:
    """A line over months; gaps where the value is hidden or missing; a dashed target line."""
    left, right, top, bottom = 6, 6, 8, 18
    values = [v for _l, v in points if v is not None]
    top_value = _nice_max(max(values + ([target] if target is not None else []) + [0]))
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(points) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * i / n, top + plot_h * (1 - v / top_value)

    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#bbb"/>']
    if target is not None:
        _x, y = xy(0, target)
        body.append(f'<line class="mon-target" x1="{left}" y1="{_f(y)}" x2="{width - right}" y2="{_f(y)}" '
                    f'stroke="#3a9d5d" stroke-dasharray="4 3"/>')
    segment: list[str] = []
    segments = []
    for i, (_label, v) in enumerate(points):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        x, y = xy(i, v)
        segment.append(f"{_f(x)},{_f(y)}")
    if segment:
        segments.append(segment)
    for seg in segments:
        body.append(f'<polyline fill="none" stroke="{PALETTE[0]}" stroke-width="2" points="{" ".join(seg)}"/>')
    for i, (label, v) in enumerate(points):
        if v is not None:
            x, y = xy(i, v)
            body.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="2.5" fill="{PALETTE[0]}">'
                        f'<title>{escape(label)}: {escape(fmt_number(v, unit))}</title></circle>')
    if points:
        body.append(f'<text x="{left}" y="{height - 4}" font-size="10" fill="#555">{escape(points[0][0])}</text>')
        body.append(f'<text x="{width - right}" y="{height - 4}" font-size="10" fill="#555" text-anchor="end">'
                    f'{escape(points[-1][0])}</text>')
    return _svg(width, height, title, body)


def bar_chart(title: str, bars: list[tuple[str, float | None]], *, unit: str = "",
              target: float | None = None, width: int = 420) -> SafeString:
    """Horizontal bars (one per RW, program, ...); hidden values drawn as an empty outline."""
    row, label_w, left_pad = 22, 110, 4
    height = row * max(len(bars), 1) + 10
    values = [v for _l, v in bars if v is not None]
    top_value = _nice_max(max(values + ([target] if target is not None else []) + [0]))
    plot_w = width - label_w - 80
    body = []
    for i, (label, v) in enumerate(bars):
        y = 5 + i * row
        body.append(f'<text x="{label_w - 6}" y="{y + 14}" font-size="11" text-anchor="end" fill="#333">'
                    f'{escape(label[:22])}</text>')
        if v is None:
            body.append(f'<rect x="{label_w}" y="{y + 3}" width="{plot_w}" height="{row - 8}" fill="none" '
                        f'stroke="#ccc" stroke-dasharray="3 3"/>')
            body.append(f'<text x="{label_w + 6}" y="{y + 14}" font-size="10" fill="#777">–</text>')
            continue
        w = plot_w * v / top_value
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{_f(max(w, 0.5))}" height="{row - 8}" '
                    f'fill="{PALETTE[0]}"><title>{escape(label)}: {escape(fmt_number(v, unit))}</title></rect>')
        body.append(f'<text x="{_f(label_w + w + left_pad)}" y="{y + 14}" font-size="10" fill="#333">'
                    f'{escape(fmt_number(v, unit))}</text>')
    if target is not None:
        x = label_w + plot_w * target / top_value
        body.append(f'<line class="mon-target" x1="{_f(x)}" y1="0" x2="{_f(x)}" y2="{height}" stroke="#3a9d5d" '
                    f'stroke-dasharray="4 3"/>')
    return _svg(width, height, title, body)


def stacked_chart(title: str, columns: list[str], series: list[tuple[str, list[float]]], *, unit: str = "",
                  width: int = 640, height: int = 220) -> SafeString:
    """Vertical stacked bars: one column per month, one colour per series (legend below)."""
    left, right, top, bottom = 8, 8, 8, 24
    legend_rows = (len(series) + 2) // 3
    total_h = height + legend_rows * 16
    sums = [sum(s[1][i] for s in series) for i in range(len(columns))]
    top_value = _nice_max(max(sums + [0]))
    plot_w, plot_h = width - left - right, height - top - bottom
    col_w = plot_w / max(len(columns), 1)
    body = []
    for i, column in enumerate(columns):
        y_base = top + plot_h
        for j, (name, values) in enumerate(series):
            v = values[i]
            if v <= 0:
                continue
            h = plot_h * v / top_value
            y_base -= h
            body.append(f'<rect x="{_f(left + i * col_w + 2)}" y="{_f(y_base)}" width="{_f(col_w - 4)}" '
                        f'height="{_f(h)}" fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(column)} · '
                        f'{escape(name)}: {escape(fmt_number(v, unit))}</title></rect>')
        if i in (0, len(columns) - 1) or len(columns) <= 6:
            body.append(f'<text x="{_f(left + i * col_w + col_w / 2)}" y="{height - 8}" font-size="10" '
                        f'text-anchor="middle" fill="#555">{escape(column)}</text>')
    for j, (name, _values) in enumerate(series):
        x, y = left + (j % 3) * (plot_w / 3), height + (j // 3) * 16
        body.append(f'<rect x="{_f(x)}" y="{y}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>')
        body.append(f'<text x="{_f(x + 14)}" y="{y + 9}" font-size="10" fill="#333">{escape(name[:28])}</text>')
    return _svg(width, total_h, title, body)


def map_chart(title: str, shapes: list[tuple[int, dict]], values: dict[int, float | None], *,
              unit: str = "", width: int = 640, height: int = 420) -> SafeString:
    """RW outlines (GeoJSON lon/lat) projected to the box, coloured in five equal-count classes."""
    rings_by_rw: list[tuple[int, list[list[list[float]]]]] = []
    xs, ys = [], []
    for rw, geometry in shapes:
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = [ring for polygon in polygons for ring in polygon]
        rings_by_rw.append((rw, rings))
        for ring in rings:
            xs += [p[0] for p in ring]
            ys += [p[1] for p in ring]
    if not xs:
        return _svg(width, 40, title, [f'<text x="8" y="24" font-size="12" fill="#555">{escape(title)}</text>'])
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    span = max(max_x - min_x, max_y - min_y) or 1.0
    scale = min((width - 20) / ((max_x - min_x) or span), (height - 20) / ((max_y - min_y) or span))
    known = sorted(v for v in values.values() if v is not None)

    def colour(v: float | None) -> str:
        if v is None or not known:
            return NO_DATA
        rank = sum(1 for k in known if k < v)
        return SCALE[min(len(SCALE) - 1, rank * len(SCALE) // len(known))]

    body = []
    for rw, rings in rings_by_rw:
        d = " ".join("M" + " L".join(f"{_f(10 + (p[0] - min_x) * scale)},{_f(10 + (max_y - p[1]) * scale)}"
                                    for p in ring) + " Z" for ring in rings)
        v = values.get(rw)
        body.append(f'<path d="{d}" fill="{colour(v)}" stroke="#fff" stroke-width="1.5" fill-rule="evenodd">'
                    f'<title>RW {rw:02d}: {escape(fmt_number(v, unit))}</title></path>')
        ring = rings[0]
        cx = sum(10 + (p[0] - min_x) * scale for p in ring) / len(ring)
        cy = sum(10 + (max_y - p[1]) * scale for p in ring) / len(ring)
        body.append(f'<text x="{_f(cx)}" y="{_f(cy + 4)}" font-size="11" text-anchor="middle" fill="#222">'
                    f'{rw:02d}</text>')
    return _svg(width, height, title, body, css="mon-chart mon-map")
