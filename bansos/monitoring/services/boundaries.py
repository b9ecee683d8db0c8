"""RW boundaries for the map: a GeoJSON FeatureCollection, checked strictly before anything is stored."""

from __future__ import annotations

import json
import math

from django.db import transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import ValidationFailed
from bansos.core.models import RW
from bansos.monitoring.models import RWBoundary

MAX_BYTES = 2_000_000
MAX_POINTS = 200_000
MSG_TOO_BIG = _("Berkas GeoJSON terlalu besar (paling besar 2 MB).")
MSG_NOT_JSON = _("Berkas bukan JSON yang sah: %(error)s")
MSG_NOT_COLLECTION = _("GeoJSON harus berupa FeatureCollection dengan daftar features.")
MSG_EMPTY = _("FeatureCollection tidak berisi satu pun feature.")


def _check_ring(ring, where: str) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValueError(_g("%(where)s: cincin poligon perlu paling sedikit 4 titik.") % {"where": where})
    for point in ring:
        if (not isinstance(point, list) or len(point) not in (2, 3)
                or not all((isinstance(v, int) and not isinstance(v, bool))
                           or (isinstance(v, float) and math.isfinite(v)) for v in point)):
            raise ValueError(_g("%(where)s: setiap titik harus [bujur, lintang] berupa angka.") % {"where": where})
        if not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
            raise ValueError(_g("%(where)s: koordinat di luar jangkauan bujur/lintang WGS84.") % {"where": where})
    if ring[0][:2] != ring[-1][:2]:
        raise ValueError(_g("%(where)s: cincin poligon harus tertutup (titik awal = titik akhir).")
                         % {"where": where})
    return len(ring)


def _check_geometry(geometry, where: str) -> int:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValueError(_g("%(where)s: geometry harus Polygon atau MultiPolygon.") % {"where": where})
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise ValueError(_g("%(where)s: coordinates kosong atau tidak sah.") % {"where": where})
    points = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValueError(_g("%(where)s: coordinates kosong atau tidak sah.") % {"where": where})
        for ring in polygon:
            points += _check_ring(ring, where)
    return points


def parse_boundaries(text: str | bytes) -> dict[int, dict]:
    """RW number -> geometry, or ``ValidationFailed`` on the ``file`` field saying which feature is wrong."""
    if len(text) > MAX_BYTES:
        raise ValidationFailed({"file": [MSG_TOO_BIG]})
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed({"file": [_g(MSG_NOT_JSON) % {"error": str(exc)[:120]}]}) from None
    except RecursionError:  # arrays or objects nested deeper than the reader goes
        error = _g("bersarang terlalu dalam")
        raise ValidationFailed({"file": [_g(MSG_NOT_JSON) % {"error": error}]}) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise ValidationFailed({"file": [MSG_NOT_COLLECTION]})
    if not data["features"]:
        raise ValidationFailed({"file": [MSG_EMPTY]})
    known = set(RW.objects.values_list("number", flat=True))
    found: dict[int, dict] = {}
    points = 0
    errors = []
    for n, feature in enumerate(data["features"], 1):
        where = _g("Feature ke-%(n)d") % {"n": n}
        try:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise ValueError(_g("%(where)s: bukan Feature.") % {"where": where})
            props = feature.get("properties") or {}
            rw = props.get("rw") if isinstance(props, dict) else None
            if isinstance(rw, str) and rw.strip().isdecimal():
                rw = int(rw.strip())
            if not isinstance(rw, int) or isinstance(rw, bool) or rw not in known:
                raise ValueError(_g("%(where)s: properti \"rw\" harus nomor RW yang terdaftar di kelurahan.")
                                 % {"where": where})
            if rw in found:
                raise ValueError(_g("%(where)s: RW %(rw)d muncul lebih dari sekali.") % {"where": where, "rw": rw})
            points += _check_geometry(feature.get("geometry"), where)
            found[rw] = feature["geometry"]
        except ValueError as exc:
            errors.append(str(exc))
    if points > MAX_POINTS:
        errors.append(_g("Terlalu banyak titik (%(n)d; paling banyak %(max)d).") % {"n": points, "max": MAX_POINTS})
    if errors:
        raise ValidationFailed({"file": errors[:20]})
    return found


@transaction.atomic
def boundaries_load(*, actor, text: str | bytes) -> int:
    """Store the RW outlines of a GeoJSON FeatureCollection (``properties.rw``); return how many."""
    require(actor, P.MONITORING_MANAGE)
    shapes = parse_boundaries(text)
    rws = {rw.number: rw for rw in RW.objects.filter(number__in=shapes)}
    for number, geometry in shapes.items():
        RWBoundary.objects.update_or_create(rw=rws[number], defaults={"geometry": geometry, "uploaded_by": actor})
    audit_log(actor=actor, action="monitoring.boundaries.load", object_type="monitoring.rwboundary",
              object_label=_g("%(n)d batas RW") % {"n": len(shapes)}, changes={"rw": sorted(shapes)})
    return len(shapes)
