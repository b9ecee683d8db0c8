from __future__ import annotations

import pytest

from bansos.core.models import AuditEvent
from bansos.eligibility.models import EligibilityRule, RuleRun, RuleVersion

pytestmark = pytest.mark.django_db


def _counts():
    return (EligibilityRule.objects.count(), RuleVersion.objects.count(), RuleRun.objects.count(),
            AuditEvent.objects.count())


def _post_rule(client, url, *, name="BLT balita", extra=None):
    data = {"name": name, "description": "", "0:kind": "all",
            "0.0:kind": "p", "0.0:p": "welfare_decile", "0.0:prev": "welfare_decile", "0.0:op": "between",
            "0.0:a": "1", "0.0:b": "4",
            "0.1:kind": "p", "0.1:p": "has_under_five", "0.1:prev": "has_under_five", "0.1:op": "is", "0.1:v": "1",
            "action": "save"}
    data.update(extra or {})
    return client.post(url, data)


def test_it_saves_a_rule_built_in_the_form(cast, client_for):
    response = _post_rule(client_for(cast["officer"]), "/kelayakan/aturan/baru/")
    rule = EligibilityRule.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kelayakan/aturan/{rule.pk}/"
    assert rule.versions.get().expression == {"all": [{"p": "welfare_decile", "op": "between", "value": [1, 4]},
                                                      {"p": "has_under_five", "op": "is", "value": True}]}
    page = client_for(cast["officer"]).get(f"/kelayakan/aturan/{rule.pk}/")
    assert "Desil kesejahteraan 1 sampai 4 DAN Ada balita" in page.content.decode()


def test_it_shows_an_indonesian_error_beside_a_bad_value_and_stores_nothing(cast, client_for):
    before = _counts()
    response = _post_rule(client_for(cast["officer"]), "/kelayakan/aturan/baru/", extra={"0.0:b": "12"})
    assert response.status_code == 422
    assert "Desil kesejahteraan: nilai 12 di luar batas 1 sampai 10." in response.content.decode()
    assert _counts() == before


def test_it_adds_and_removes_rows_with_htmx_partials(cast, client_for):
    client = client_for(cast["officer"])
    response = _post_rule(client, "/kelayakan/aturan/baru/", extra={"action": "add-group:0"})
    html = response.content.decode()
    assert response.status_code == 200 and 'name="0.2:kind" value="any"' not in html
    assert 'name="0.2:kind"' in html and 'name="0.2.1:p"' in html
    response = client.post("/kelayakan/aturan/baru/", {"0:kind": "all", "0.0:kind": "p", "0.0:p": "has_youth",
                                                       "0.0:prev": "has_youth", "0.0:op": "is", "0.0:v": "1",
                                                       "action": "del:0.0"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<div id="builder"') and 'name="0.0:p"' not in html
    assert EligibilityRule.objects.count() == 0


@pytest.mark.parametrize("who", ["surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_rule_pages_to_roles_without_rules_manage(cast, client_for, rules, who):
    client = client_for(cast[who])
    before = _counts()
    assert client.get("/kelayakan/").status_code == 403
    assert _post_rule(client, "/kelayakan/aturan/baru/").status_code == 403
    assert client.post(f"/kelayakan/aturan/{rules['kelurahan'].pk}/jalankan/").status_code == 404
    assert _counts() == before


def test_it_refuses_an_officer_editing_another_agencys_rule(cast, client_for, rules):
    client = client_for(cast["officer"])
    before = _counts()
    assert client.get(f"/kelayakan/aturan/{rules['other'].pk}/").status_code == 404
    assert _post_rule(client, f"/kelayakan/aturan/{rules['other'].pk}/ubah/").status_code == 404
    assert _post_rule(client, f"/kelayakan/aturan/{rules['kelurahan'].pk}/ubah/").status_code == 403
    assert client.post(f"/kelayakan/aturan/{rules['kelurahan'].pk}/jalankan/").status_code == 403
    assert _counts() == before
    listed = client.get("/kelayakan/").content.decode()
    assert "BLT Dinsos" in listed and "Aturan kelurahan" in listed and "Pelatihan LSM" not in listed


def test_it_runs_from_the_page_and_shows_counts_per_rw(cast, client_for, rules, django_capture_on_commit_callbacks):
    client = client_for(cast["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/kelayakan/aturan/{rules['kelurahan'].pk}/jalankan/")
    run = RuleRun.objects.get()
    assert response["Location"] == f"/kelayakan/penilaian/{run.pk}/"
    html = client.get(f"/kelayakan/penilaian/{run.pk}/").content.decode()
    assert "RW 01" in html and "RW 02" in html and cast["households"]["rw1"].kk_number in html
    officer_html = client_for(cast["officer"]).get(f"/kelayakan/penilaian/{run.pk}/").content.decode()
    assert "RW 01" in officer_html and cast["households"]["rw1"].kk_number not in officer_html


def test_it_explains_a_rule_to_who_may_see_the_household(cast, client_for, rules):
    rule, household = rules["own"], cast["households"]["rw1"]
    url = f"/kelayakan/aturan/{rule.pk}/keluarga/{household.pk}/"
    assert client_for(cast["admin"]).get(url).status_code == 200
    assert client_for(cast["surveyor_other"]).get(url).status_code == 404
    assert client_for(cast["resident"]).get(url).status_code == 404  # a draft rule, not shown to residents
    from bansos.eligibility.services import rule_status_set

    rule_status_set(actor=cast["officer"], rule=rule, status="active")
    html = client_for(cast["resident"]).get(url).content.decode()
    assert "Ada balita" in html and "terpenuhi" in html
    assert client_for(cast["resident_other"]).get(url).status_code == 404


def test_it_shows_the_panel_on_the_household_page(cast, client_for, rules):
    from bansos.eligibility.services import rule_status_set

    rule_status_set(actor=cast["officer"], rule=rules["own"], status="active")
    household = cast["households"]["rw1"]
    html = client_for(cast["surveyor"]).get(f"/registri/keluarga/{household.pk}/").content.decode()
    assert "Aturan kelayakan yang terpenuhi" in html
    assert f"/kelayakan/aturan/{rules['own'].pk}/keluarga/{household.pk}/" in html


def test_the_api_runs_and_explains(cast, client_for, rules, django_capture_on_commit_callbacks):
    client = client_for(cast["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/eligibility/rules/{rules['own'].pk}/run", content_type="application/json")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert RuleRun.objects.get().eligible_count == 2
    before = _counts()
    assert client.post(f"/api/eligibility/rules/{rules['other'].pk}/run").status_code == 404
    assert client.post(f"/api/eligibility/rules/{rules['kelurahan'].pk}/run").status_code == 403
    assert client_for(cast["surveyor"]).post(f"/api/eligibility/rules/{rules['own'].pk}/run").status_code == 404
    assert _counts() == before
    household = cast["households"]["rw1"]
    body = client_for(cast["admin"]).get(f"/api/eligibility/rules/{rules['own'].pk}/explain/{household.pk}").json()
    assert (body["eligible"], body["version"], body["tree"]["kind"]) == (True, 1, "all")
    assert body["tree"]["children"][1]["text"].startswith("Penghasilan keluarga per bulan Rp 2.500.000")
    assert client.get(f"/api/eligibility/rules/{rules['own'].pk}/explain/{household.pk}").status_code == 404
