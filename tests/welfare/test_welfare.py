"""Welfare model versions, scoring and ranking, explanations, pages and API, both ways per role."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent
from bansos.registry.models import Household
from bansos.welfare import services
from bansos.welfare.features import DEFAULT_WEIGHTS, decile_of, per_capita
from bansos.welfare.models import HouseholdWelfare, ModelStatus, WelfareCoefficient, WelfareModel
from bansos.welfare.selectors import welfare_explain
from tests.factories import make_household

W = DEFAULT_WEIGHTS


def _set(household, **fields):
    Household.objects.filter(pk=household.pk).update(**fields)
    household.refresh_from_db()
    return household


def _published():
    return WelfareModel.objects.get(status=ModelStatus.PUBLISHED)


def test_the_default_model_is_published_as_version_1(db):
    model = services.welfare_default_model()
    assert (model.version, model.status, model.base_amount) == (1, "published", 1_500_000)
    assert WelfareCoefficient.objects.get(model=model, attribute="toilet", value="none").weight == -0.25


def test_it_scores_a_household_as_computed_by_hand(cast):
    # Budi's family (tests/factories.py): 4 members, children born 2010 and 2023, no recorded work.
    household = _set(cast["households"]["rw1"], floor_area_m2=36, floor_material="ceramic", wall_material="brick",
                     roof_material="clay_tile", water_source="piped", toilet="shared", lighting="pln_meter",
                     electricity_va=900, cooking_fuel="lpg_3kg", house_ownership="rented", asset_motorbike=True)
    services.welfare_rescore_all(actor=cast["admin"])
    stored = HouseholdWelfare.objects.get(household=household)
    today = timezone.localdate()
    children = sum(1 for b in (dt.date(2010, 11, 20), dt.date(2023, 1, 9)) if b > today.replace(year=today.year - 15))
    expected = (math.log(1_500_000) + W["household_size"]["4"] + W["floor_area_pp"]["8_15"]
                + W["floor_material"]["ceramic"] + W["water_source"]["piped"] + W["toilet"]["shared"]
                + W["electricity_va"]["900"] + W["asset_motorbike"]["yes"] + W["workers"]["0"]
                + W["children"][str(children)])
    assert stored.score == pytest.approx(expected, abs=1e-9)
    assert stored.per_capita == per_capita(expected)
    explanation = welfare_explain(household)
    assert explanation.base + math.fsum(r.weight for r in explanation.rows) == pytest.approx(stored.score, abs=1e-9)
    assert explanation.per_capita == stored.per_capita
    assert [abs(r.weight) for r in explanation.rows] == sorted((abs(r.weight) for r in explanation.rows), reverse=True)


def test_single_household_scoring_agrees_with_the_bulk_path(cast):
    _set(cast["households"]["rw2"], floor_area_m2=20, toilet="none", electricity_va=450, cooking_fuel="wood")
    services.welfare_rescore_all(actor=None)
    bulk = {w.household_id: (w.score, w.per_capita) for w in HouseholdWelfare.objects.all()}
    for household in Household.objects.all():
        single = services.welfare_score_household(household)
        assert single.score == pytest.approx(bulk[household.pk][0], abs=1e-9)
        assert single.per_capita == bulk[household.pk][1]


def test_deciles_run_1_to_10_and_rise_with_per_capita(cast, areas):
    admin = cast["admin"]
    for i in range(17):
        h = make_household(actor=admin, rt=areas["rt1"], head_name="Warga " + "ABCDEFGHIJKLMNOPQ"[i])
        _set(h, floor_area_m2=10 + 7 * i, electricity_va=(450, 900, 1300, 2200)[i % 4], asset_car=i > 12)
    summary = services.welfare_rescore_all(actor=admin)
    assert summary["scored"] == 20
    rows = list(HouseholdWelfare.objects.order_by("rank").values_list("rank", "decile", "per_capita"))
    assert [r[0] for r in rows] == list(range(1, 21))
    assert [r[1] for r in rows] == [d for d in range(1, 11) for _ in range(2)]
    assert all(a[2] <= b[2] for a, b in zip(rows, rows[1:], strict=False))


def test_decile_of_matches_ntile():
    assert [decile_of(r, 13) for r in range(1, 14)] == [1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10]
    assert [decile_of(r, 3) for r in range(1, 4)] == [1, 2, 3]


def test_it_leaves_inactive_households_out(cast):
    Household.objects.filter(pk=cast["households"]["rw2"].pk).update(status="moved")
    assert services.welfare_rescore_all(actor=None)["scored"] == 2
    assert not HouseholdWelfare.objects.filter(household=cast["households"]["rw2"]).exists()


def test_rescoring_counts_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    # 13 on PostgreSQL: work_mem and ANALYZE of the fresh scores come on top.
    with django_assert_max_num_queries(13):
        services.welfare_rescore_all(actor=None)


# --- Model versions -----------------------------------------------------------------------------

def test_admin_creates_edits_and_publishes_a_version_which_retires_the_old_one(cast,
                                                                              django_capture_on_commit_callbacks):
    admin = cast["admin"]
    old = _published()
    draft = services.welfare_model_draft_create(actor=admin)
    assert (draft.version, draft.status) == (2, "draft")
    services.welfare_model_update(actor=admin, model=draft, name="Model v2", base_amount="2.000.000", notes="kalibrasi",
                                  weights={("toilet", "none"): "-0,4"})
    assert WelfareCoefficient.objects.get(model=draft, attribute="toilet", value="none").weight == -0.4
    event = AuditEvent.objects.filter(action="welfare.model_update").get()
    assert event.changes["toilet=none"] == [-0.25, -0.4]
    assert event.changes["base_amount"] == [1_500_000, 2_000_000]
    with django_capture_on_commit_callbacks(execute=True):
        services.welfare_model_publish(actor=admin, model=draft)
    old.refresh_from_db()
    draft.refresh_from_db()
    assert (old.status, draft.status) == ("retired", "published")
    assert set(HouseholdWelfare.objects.values_list("model_id", flat=True)) == {draft.pk}


def test_it_refuses_invalid_weights_and_changes_nothing(cast):
    admin = cast["admin"]
    draft = services.welfare_model_draft_create(actor=admin)
    before = list(WelfareCoefficient.objects.filter(model=draft).values_list("attribute", "value", "weight"))
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.welfare_model_update(actor=admin, model=draft, name="", base_amount="10", notes="",
                                      weights={("toilet", "none"): "banyak", ("toilet", "shared"): "3",
                                               ("toilet", "gold"): "0.1"})
    assert exc.value.errors == {
        "name": [str(services.MSG_NAME_REQUIRED)], "base_amount": [str(services.MSG_BASE_RANGE)],
        "w__toilet__none": [str(services.MSG_WEIGHT_NUMBER)], "w__toilet__shared": [str(services.MSG_WEIGHT_RANGE)],
        "w__toilet__gold": [str(services.MSG_UNKNOWN_ATTRIBUTE)],
    }
    assert list(WelfareCoefficient.objects.filter(model=draft).values_list("attribute", "value", "weight")) == before
    assert AuditEvent.objects.count() == events


def test_it_refuses_editing_a_published_model_and_republishing_a_retired_one(cast):
    admin = cast["admin"]
    old = _published()
    with pytest.raises(DomainError) as exc:
        services.welfare_model_update(actor=admin, model=old, name="x", base_amount=1_000_000, notes="", weights={})
    assert exc.value.code == "not_draft"
    draft = services.welfare_model_draft_create(actor=admin)
    services.welfare_model_publish(actor=admin, model=draft)
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        services.welfare_model_publish(actor=admin, model=old)
    assert exc.value.code == "bad_transition"
    old.refresh_from_db()
    assert old.status == "retired"
    assert _published().pk == draft.pk
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("name", ["officer", "surveyor", "cadre", "evaluator", "resident"])
def test_only_the_admin_manages_the_model(cast, name):
    models, events = WelfareModel.objects.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError):
        services.welfare_model_draft_create(actor=cast[name])
    with pytest.raises(PermissionDeniedError):
        services.welfare_rescore_all(actor=cast[name])
    with pytest.raises(PermissionDeniedError):
        services.welfare_model_publish(actor=cast[name], model=_published())
    assert (WelfareModel.objects.count(), AuditEvent.objects.count()) == (models, events)
    assert HouseholdWelfare.objects.count() == 0


# --- Pages and API ------------------------------------------------------------------------------

@pytest.fixture
def scored(cast):
    services.welfare_rescore_all(actor=None)
    return cast


@pytest.mark.parametrize("name", ["admin", "surveyor"])
def test_the_household_page_shows_the_welfare_panel_in_scope(scored, client_for, name):
    household = scored["households"]["rw1"]
    page = client_for(scored[name]).get(f"/registri/keluarga/{household.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="welfare"' in text
    assert "bukan desil resmi DTSEN" in text


@pytest.mark.parametrize("name", ["cadre", "resident"])
def test_the_household_page_hides_the_panel_without_welfare_view(scored, client_for, name):
    household = scored["households"]["rw1"]
    page = client_for(scored[name]).get(f"/registri/keluarga/{household.pk}/")
    assert page.status_code == 200
    assert 'id="welfare"' not in page.content.decode()


def test_the_api_gives_score_decile_and_contributions(scored, client_for):
    household = scored["households"]["rw1"]
    stored = HouseholdWelfare.objects.get(household=household)
    body = client_for(scored["surveyor"]).get(f"/api/households/{household.pk}/welfare").json()
    assert (body["decile"], body["per_capita"], body["model_version"]) == (stored.decile, stored.per_capita, 1)
    assert math.log(1_500_000) + math.fsum(c["weight"] for c in body["contributions"]) == pytest.approx(body["score"])


@pytest.mark.parametrize("name", ["surveyor_other", "cadre", "evaluator", "resident_other"])
def test_the_api_refuses_a_household_out_of_scope(scored, client_for, name):
    household = scored["households"]["rw1"]
    response = client_for(scored[name]).get(f"/api/households/{household.pk}/welfare")
    assert response.status_code in (403, 404)
    assert "per_capita" not in response.json()


def test_the_model_page_shows_coefficients_and_distribution(scored, client_for):
    page = client_for(scored["admin"]).get("/kesejahteraan/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "BUKAN desil resmi DTSEN" in text
    assert "Hitung ulang sekarang" in text


def test_the_model_page_has_a_fixed_number_of_queries(scored, client_for):
    client = client_for(scored["admin"])
    client.get("/kesejahteraan/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/kesejahteraan/")
    assert len(ctx.captured_queries) <= 15


def test_surveyors_see_the_model_page_without_the_admin_buttons(scored, client_for):
    page = client_for(scored["surveyor"]).get("/kesejahteraan/")
    assert page.status_code == 200
    assert "Hitung ulang sekarang" not in page.content.decode()


@pytest.mark.parametrize("name", ["cadre", "evaluator", "resident"])
def test_the_model_page_is_refused_without_welfare_view(scored, client_for, name):
    assert client_for(scored[name]).get("/kesejahteraan/").status_code == 403


def test_admin_edits_a_draft_on_the_page_and_a_bad_weight_changes_nothing(scored, client_for):
    client = client_for(scored["admin"])
    response = client.post("/kesejahteraan/versi/baru/")
    draft = WelfareModel.objects.get(status="draft")
    assert response.status_code == 302
    form = {"name": "Model v2", "base_amount": "1500000", "notes": "", "w__toilet__none": "abc"}
    page = client.post(f"/kesejahteraan/versi/{draft.pk}/ubah/", form)
    assert page.status_code == 422
    assert str(services.MSG_WEIGHT_NUMBER) in page.content.decode()
    assert WelfareCoefficient.objects.get(model=draft, attribute="toilet", value="none").weight == -0.25
    form["w__toilet__none"] = "-0.3"
    assert client.post(f"/kesejahteraan/versi/{draft.pk}/ubah/", form).status_code == 302
    assert WelfareCoefficient.objects.get(model=draft, attribute="toilet", value="none").weight == -0.3


def test_a_surveyor_cannot_create_or_publish_a_version(scored, client_for):
    client = client_for(scored["surveyor"])
    models = WelfareModel.objects.count()
    assert client.post("/kesejahteraan/versi/baru/").status_code == 403
    assert client.post(f"/kesejahteraan/versi/{_published().pk}/berlakukan/").status_code == 403
    assert WelfareModel.objects.count() == models


def test_the_rescore_button_runs_the_task_and_reports_done(scored, client_for, django_capture_on_commit_callbacks):
    client = client_for(scored["admin"])
    HouseholdWelfare.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/kesejahteraan/hitung-ulang/").status_code == 302
    from bansos.welfare.models import WelfareRun

    run = WelfareRun.objects.get()
    assert (run.status, run.done, run.total) == ("done", 3, 3)
    assert HouseholdWelfare.objects.count() == 3


def test_the_cli_rescore(scored, capsys):
    from django.core.management import call_command

    call_command("welfare_rescore", verbosity=0)
    assert "3 keluarga dinilai dengan model v1" in capsys.readouterr().out
