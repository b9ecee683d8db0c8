"""A small server-side SVG line of a household's index over the months (no JavaScript, no inline style)."""

from __future__ import annotations

from typing import Any

WIDTH, HEIGHT, PAD_X, PAD_TOP, PAD_BOTTOM = 320, 120, 28, 8, 22


def trajectory_svg(points: list[tuple[str, int]], *, threshold: int | None) -> dict[str, Any]:
    """Coordinates for ``selfreliance/_trajectory.svg.html``: (label, score 0..100) oldest first."""
    n = len(points)
    inner_w = WIDTH - 2 * PAD_X
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    # Coordinates are strings: a float in a template would be localized ("26,9" in Indonesian), which
    # SVG does not read.
    def x(i: int) -> str:
        return f"{PAD_X + (inner_w * i / (n - 1) if n > 1 else inner_w / 2):.1f}"

    def y(v: int) -> str:
        return f"{PAD_TOP + inner_h * (100 - max(0, min(100, v))) / 100:.1f}"

    dots = [{"x": x(i), "y": y(v), "label": label, "value": v,
             "below": threshold is not None and v < threshold} for i, (label, v) in enumerate(points)]
    ticks = [dots[0], dots[-1]] if n > 1 else dots
    return {
        "width": WIDTH, "height": HEIGHT, "dots": dots, "ticks": ticks,
        "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "threshold_y": y(threshold) if threshold is not None else None,
        "grid": [{"y": y(v), "v": v} for v in (0, 50, 100)],
        "left": PAD_X, "right": WIDTH - PAD_X, "label_y": HEIGHT - 6, "axis_x": PAD_X - 4,
    }
