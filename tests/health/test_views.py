"""The posyandu pages: a cadre's flow, the child's chart, and refusals of everyone outside the area."""

from __future__ import annotations

import pytest

from bansos.health.models import ChildVisit
from bansos.health.services import visit_record

pytestmark = pytest.mark.django_db

MEASURE = {"weight_kg": "9,6", "length_cm": "75,7", "position": "lying"}


def test_a_cadre_opens_the_session_and_records_a_visit(cast, kid, client_for):
    child = kid(days=365)
    client = client_for(cast["cadre"])
    assert client.get("/kesehatan/").url == f"/kesehatan/posyandu/{cast['cadre'].posyandu_id}/"
    response = client.post(f"/kesehatan/posyandu/{cast['cadre'].posyandu_id}/buka-sesi/",
                           {"date": __import__("django.utils.timezone").utils.timezone.localdate().isoformat()})
    session_url = response.url
    roster = client.get(session_url)
    assert roster.status_code == 200 and "BAYU SAPUTRA" in roster.content.decode()
    session_id = int(session_url.rstrip("/").split("/")[-1])
    form_url = f"/kesehatan/sesi/{session_id}/anak/{child.pk}/"
    bad = client.post(form_url, {**MEASURE, "weight_kg": "2,0", "visit_date": roster.context["session"].date})
    assert bad.status_code == 400 and "di luar batas WHO" in bad.content.decode()
    assert ChildVisit.objects.count() == 0
    saved = client.post(form_url, {**MEASURE, "visit_date": roster.context["session"].date}, follow=True)
    page = saved.content.decode()
    assert saved.status_code == 200 and "z = " in page and "Gizi baik" in page
    child_page = client.get(f"/kesehatan/anak/{child.pk}/").content.decode()
    assert "<svg" in child_page and 'class="child-point' in child_page and "style=" not in child_page


@pytest.mark.parametrize("who,status", [("admin", 200), ("cadre", 200), ("cadre_other", 403), ("officer", 403),
                                        ("surveyor", 403), ("evaluator", 403), ("resident", 403)])
def test_the_child_page_only_for_the_posyandu_area(cast, kid, session_at, client_for, who, status):
    child = kid(days=365)
    visit = visit_record(actor=cast["cadre"], session=session_at(0), child=child, data=MEASURE)
    client = client_for(cast[who])
    assert client.get(f"/kesehatan/anak/{child.pk}/").status_code == status
    assert client.get(f"/kesehatan/kunjungan/{visit.pk}/").status_code == status
    assert client.get(f"/kesehatan/sesi/{visit.session_id}/").status_code == status
    csv = client.get(f"/kesehatan/sesi/{visit.session_id}/unduh.csv")
    assert csv.status_code == status
    posted = client.post(f"/kesehatan/sesi/{visit.session_id}/anak/{child.pk}/",
                         {**MEASURE, "weight_kg": "9,0", "visit_date": visit.visit_date, "reason": "x"})
    assert posted.status_code == (302 if status == 200 else 403)
    visit.refresh_from_db()
    assert str(visit.weight_kg) == ("9.00" if status == 200 else "9.60")


@pytest.mark.parametrize("who,shown", [("admin", True), ("cadre", True), ("cadre_other", False),
                                       ("surveyor", False), ("resident", False)])
def test_the_household_panel_and_history_show_health_only_to_those_allowed(cast, kid, session_at, client_for,
                                                                           who, shown):
    child = kid(days=365)
    visit_record(actor=cast["cadre"], session=session_at(0), child=child, data=MEASURE)
    household = cast["households"]["rw1"]
    response = client_for(cast[who]).get(f"/registri/keluarga/{household.pk}/")
    if response.status_code != 200:
        assert not shown
        return
    page = response.content.decode()
    assert ('id="kesehatan-anak"' in page) is shown
    assert ("9.60" in page or "9,60" in page) is shown


def test_api_records_and_reads_growth_and_refuses_other_cadres(cast, kid, session_at, client_for):
    child, session = kid(days=365), session_at(0)
    url = f"/api/health/sessions/{session.pk}/visits"
    body = {"child_id": child.pk, "weight_kg": "9.6", "length_cm": "75.7", "position": "lying"}
    refused = client_for(cast["cadre_other"]).post(url, body, content_type="application/json")
    assert refused.status_code == 403 and ChildVisit.objects.count() == 0
    bad = client_for(cast["cadre"]).post(url, {**body, "weight_kg": "2.0"}, content_type="application/json")
    assert bad.status_code == 422 and ChildVisit.objects.count() == 0
    made = client_for(cast["cadre"]).post(url, body, content_type="application/json")
    assert made.status_code == 201 and made.json()["z"]["whz_class"] == "gizi_baik"
    growth = client_for(cast["cadre"]).get(f"/api/health/children/{child.pk}/growth")
    assert growth.status_code == 200 and len(growth.json()["visits"]) == 1
    assert client_for(cast["officer"]).get(f"/api/health/children/{child.pk}/growth").status_code == 403
    assert client_for(cast["cadre_other"]).get(f"/api/health/children/{child.pk}/growth").status_code == 403
