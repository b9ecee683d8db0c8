"""Pages, exports and the API: role limits both ways and small-cell suppression outside the staff interface."""

from __future__ import annotations

import json

import pytest

from bansos.core.models import AuditEvent
from bansos.monitoring.models import Indicator, RWBoundary
from bansos.monitoring.services import snapshot_run


@pytest.fixture
def snap(known):
    return snapshot_run(actor=None)


def test_it_shows_the_overview_with_charts_to_every_monitoring_role(snap, cast, client_for):
    for who in ("admin", "officer", "surveyor", "cadre", "evaluator"):
        response = client_for(cast[who]).get("/pemantauan/")
        assert response.status_code == 200, who
        assert b"<svg" in response.content
    assert client_for(cast["resident"]).get("/pemantauan/").status_code == 403
    assert client_for(None).get("/pemantauan/").status_code == 302


def test_it_hides_small_cells_from_the_evaluator_but_not_from_the_admin(snap, cast, client_for):
    url = "/pemantauan/indikator/edu-school-age-in-school/?breakdown=rw"
    admin = client_for(cast["admin"]).get(url).content.decode()
    evaluator = client_for(cast["evaluator"]).get(url).content.decode()
    assert "66,67" in admin or "66.67" in admin
    assert "66,67" not in evaluator and "66.67" not in evaluator and "disembunyikan" in evaluator


@pytest.mark.parametrize("who", ["admin", "evaluator"])
def test_exports_always_suppress_small_cells(snap, cast, client_for, who):
    csv_text = client_for(cast[who]).get("/pemantauan/laporan/unduh.csv").content.decode()
    line = next(l for l in csv_text.splitlines() if l.startswith("edu-school-age-in-school") and ",RW," in l)
    assert "kurang dari 5 keluarga" in line and ",66.67," not in csv_text
    api = client_for(cast[who]).get("/api/monitoring/indicators/edu-school-age-in-school/values?breakdown=rw")
    assert api.status_code == 200
    assert all(v["value"] is None and v["suppressed"] for v in api.json())
    assert AuditEvent.objects.filter(action="monitoring.export").count() == 1


def test_it_exports_xlsx_and_pdf(snap, cast, client_for):
    client = client_for(cast["evaluator"])
    xlsx = client.get("/pemantauan/laporan/unduh.xlsx")
    pdf = client.get("/pemantauan/laporan/unduh.pdf")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_an_officer_sees_only_its_own_agency_program_pages(snap, cast, client_for, known):
    program = known["cash"]  # owned by dinsos
    assert client_for(cast["officer"]).get(f"/pemantauan/program/{program.pk}/").status_code == 200
    assert client_for(cast["officer_other"]).get(f"/pemantauan/program/{program.pk}/").status_code == 403
    assert client_for(cast["officer_other"]).get(f"/pemantauan/laporan/program/{program.pk}/unduh.csv"
                                                 ).status_code == 403
    assert client_for(cast["evaluator"]).get(f"/pemantauan/program/{program.pk}/").status_code == 200
    agency = program.agency_id
    assert client_for(cast["officer"]).get(f"/pemantauan/lembaga/{agency}/").status_code == 200
    assert client_for(cast["officer_other"]).get(f"/pemantauan/lembaga/{agency}/").status_code == 403


def test_only_the_admin_edits_an_indicator(snap, cast, client_for):
    indicator = Indicator.objects.get(code="health-stunting")
    data = {"name": "Stunting baru", "definition": "Definisi", "target": "10", "is_active": "on"}
    refused = client_for(cast["evaluator"]).post(f"/pemantauan/indikator/{indicator.code}/ubah/", data)
    assert refused.status_code == 403
    indicator.refresh_from_db()
    assert indicator.name != "Stunting baru"
    ok = client_for(cast["admin"]).post(f"/pemantauan/indikator/{indicator.code}/ubah/", data)
    assert ok.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.target) == ("Stunting baru", 10.0)


def test_it_refuses_an_empty_indicator_name_naming_the_field(snap, cast, client_for):
    indicator = Indicator.objects.get(code="health-stunting")
    response = client_for(cast["admin"]).post(f"/pemantauan/indikator/{indicator.code}/ubah/",
                                              {"name": " ", "definition": "x"})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.name.strip()


def _geojson(rw=1, ring=None):
    ring = ring or [[106.76, -6.17], [106.77, -6.17], [106.77, -6.18], [106.76, -6.17]]
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"rw": rw}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]})


def _upload(client, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/pemantauan/peta/", {"file": SimpleUploadedFile("rw.geojson", text.encode())})


@pytest.mark.parametrize(("text", "message"), [
    ("{", "bukan JSON"),
    (json.dumps({"type": "Feature"}), "FeatureCollection"),
    (_geojson(rw=9), "nomor RW yang terdaftar"),
    (_geojson(ring=[[106.76, -6.17], [106.77, -6.17], [106.77, -6.18], [106.70, -6.10]]), "tertutup"),
    (_geojson(ring=[[206.76, -6.17], [106.77, -6.17], [106.77, -6.18], [206.76, -6.17]]), "di luar jangkauan"),
])
def test_it_refuses_invalid_geojson_and_stores_nothing(cast, client_for, text, message):
    response = _upload(client_for(cast["admin"]), text)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not RWBoundary.objects.exists()


def test_it_loads_rw_boundaries_and_draws_the_map(snap, cast, client_for):
    assert _upload(client_for(cast["officer"]), _geojson()).status_code == 403
    assert not RWBoundary.objects.exists()
    assert _upload(client_for(cast["admin"]), _geojson()).status_code == 302
    assert RWBoundary.objects.get().rw.number == 1
    page = client_for(cast["evaluator"]).get("/pemantauan/").content.decode()
    assert 'class="mon-chart mon-map"' in page
