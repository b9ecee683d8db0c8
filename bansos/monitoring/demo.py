"""Demo data of the monitoring app: simple RW outlines and twelve monthly snapshots, made through its services."""

from __future__ import annotations

import json
import math
from typing import Any

from django.utils import timezone

# Duri Kepa lies around 106.77 E, 6.18 S; the demo's RW outlines are a generated grid of blocks
# there (not the real boundaries), jittered a little so the map does not look like a table.
ORIGIN = (106.760, -6.170)
CELL = 0.004


def demo_geojson(rw_numbers: list[int], seed: int) -> str:
    cols = max(1, math.ceil(math.sqrt(len(rw_numbers))))
    features = []
    for i, number in enumerate(sorted(rw_numbers)):
        col, row = i % cols, i // cols
        x0, y0 = ORIGIN[0] + col * CELL, ORIGIN[1] - row * CELL
        wobble = ((number * 7919 + seed) % 7 - 3) * CELL / 40
        ring = [[x0, y0], [x0 + CELL + wobble, y0], [x0 + CELL, y0 - CELL - wobble], [x0 - wobble, y0 - CELL],
                [x0, y0]]
        ring = [[round(x, 6), round(y, 6)] for x, y in ring]
        features.append({"type": "Feature", "properties": {"rw": number},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return json.dumps({"type": "FeatureCollection", "features": features})


def demo_monitoring_create(*, actor, seed: int) -> dict[str, Any] | None:
    """Creates the app's demo data once; None when it exists already."""
    from bansos.core.models import RW
    from bansos.monitoring.models import RWBoundary, Snapshot
    from bansos.monitoring.services import boundaries_load, snapshot_run
    from bansos.monitoring.services.snapshots import month_start

    if Snapshot.objects.exists():
        return None
    numbers = list(RW.objects.values_list("number", flat=True))
    shapes = boundaries_load(actor=actor, text=demo_geojson(numbers, seed)) if numbers and not \
        RWBoundary.objects.exists() else 0
    this_month = month_start(timezone.localdate())
    rows = 0
    snapshots = 0
    for back in range(11, -1, -1):
        index = this_month.year * 12 + this_month.month - 1 - back
        period = this_month.replace(year=index // 12, month=index % 12 + 1)
        rows += snapshot_run(actor=actor, period=period).rows
        snapshots += 1
    from bansos.monitoring.models import Indicator

    indicators = Indicator.objects.filter(is_active=True).count()
    return {"line": f"{indicators} indikator, {snapshots} potret bulanan ({rows} angka), {shapes} batas RW.",
            "snapshots": snapshots, "rows": rows}
