"""Recording visits: stored z-scores, corrections, refusals of bad input, alerts, and who may do what."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bansos.core.models import AuditEvent
from bansos.health import growth
from bansos.health.models import ChildVisit, GrowthAlert
from bansos.health.services import alert_resolve, session_export, session_open, visit_correct, visit_record
from tests.health.conftest import months_ago, refused

pytestmark = pytest.mark.django_db

MEASURE = {"weight_kg": "9,6", "length_cm": "75.7", "position": "lying"}


def test_a_cadre_records_a_visit_of_their_area_with_its_z_scores(cast, kid, session_at):
    child = kid(days=365)
    session = session_at(0)
    visit = visit_record(actor=cast["cadre"], session=session, child=child,
                         data={**MEASURE, "immunizations": ["MR1", "BCG"], "vitamin_a": "blue"})
    expected = growth.compute(sex="L", age_days=visit.age_days, weight_kg=9.6, length_cm=75.7, lying=True)
    assert visit.weight_kg == Decimal("9.60") and visit.length_cm == Decimal("75.7")
    assert visit.waz == Decimal(f"{expected.waz:.2f}") and visit.haz == Decimal(f"{expected.haz:.2f}")
    assert visit.whz_class == expected.whz_class and visit.immunizations == ["BCG", "MR1"]
    event = AuditEvent.objects.get(action="health.visit.record")
    assert event.household_id == child.household_id and event.actor == cast["cadre"]


def test_a_correction_recomputes_the_scores_and_is_audited_with_its_reason(cast, kid, session_at):
    child = kid(days=365)
    visit = visit_record(actor=cast["cadre"], session=session_at(0), child=child, data=MEASURE)
    old_waz = visit.waz
    visit = visit_correct(actor=cast["cadre"], visit=visit, data={**MEASURE, "weight_kg": "8.1"},
                          reason="salah baca timbangan")
    assert visit.weight_kg == Decimal("8.10") and visit.waz < old_waz
    event = AuditEvent.objects.get(action="health.visit.correct")
    assert event.reason == "salah baca timbangan" and event.changes["weight_kg"] == ["9.60", "8.10"]


@pytest.mark.parametrize("data,field", [
    ({"weight_kg": "abc"}, "weight_kg"),
    ({"weight_kg": "120"}, "weight_kg"),
    ({"length_cm": "75"}, "position"),
    ({"weight_kg": "2.1", "length_cm": "75", "position": "lying"}, "weight_kg"),  # WAZ < -6 at one year
    ({"weight_kg": "9.5", "length_cm": "45", "position": "lying"}, "length_cm"),  # HAZ < -6
    ({}, "weight_kg"),
    ({**MEASURE, "immunizations": ["XYZ"]}, "immunizations"),
    ({**MEASURE, "visit_date": "2020-01-01"}, "visit_date"),
])
def test_bad_or_impossible_input_is_refused_and_nothing_is_stored(cast, kid, session_at, data, field):
    child, session = kid(days=365), session_at(0)
    error = refused("validation_failed", visit_record, actor=cast["cadre"], session=session, child=child, data=data)
    assert field in error.errors


def test_a_second_visit_in_the_same_session_is_refused(cast, kid, session_at):
    child, session = kid(days=365), session_at(0)
    visit_record(actor=cast["cadre"], session=session, child=child, data=MEASURE)
    refused("visit_exists", visit_record, actor=cast["cadre"], session=session, child=child, data=MEASURE)


def test_a_child_outside_the_posyandu_area_is_refused_even_for_the_admin(cast, kid, session_at):
    child, session = kid("rw2", days=365), session_at(0, "pos1")
    refused("not_in_area", visit_record, actor=cast["admin"], session=session, child=child, data=MEASURE)


@pytest.mark.parametrize("who", ["officer", "officer_other", "surveyor", "surveyor_rt", "evaluator", "resident",
                                 "resident_other", "cadre_other"])
def test_every_other_role_is_refused_recording(cast, kid, session_at, who):
    child, session = kid(days=365), session_at(0)
    refused("permission_denied", visit_record, actor=cast[who], session=session, child=child, data=MEASURE)


@pytest.mark.parametrize("who,allowed", [("admin", True), ("cadre", True), ("cadre_other", False),
                                         ("officer", False), ("surveyor", False), ("evaluator", False)])
def test_opening_a_session_both_ways(cast, areas, who, allowed):
    if allowed:
        session = session_open(actor=cast[who], posyandu=areas["pos1"], date=months_ago(0))
        assert session.month == months_ago(0).replace(day=1)
        refused("session_exists", session_open, actor=cast[who], posyandu=areas["pos1"], date=months_ago(0))
    else:
        refused("permission_denied", session_open, actor=cast[who], posyandu=areas["pos1"], date=months_ago(0))


def _visit(cast, session_at, child, months, weight, length="76.0", **extra):
    session = session_at(months)
    return visit_record(actor=cast["cadre"], session=session, child=child,
                        data={"weight_kg": weight, "length_cm": length, "position": "lying",
                              "visit_date": months_ago(months).isoformat(), **extra})


def test_no_weight_gain_at_two_consecutive_monthly_visits_raises_2t(cast, kid, session_at):
    child = kid(days=500)
    _visit(cast, session_at, child, 2, "9.8")
    second = _visit(cast, session_at, child, 1, "9.8")
    assert not GrowthAlert.objects.filter(kind="2t").exists()
    assert second.alerts.count() == 0
    third = _visit(cast, session_at, child, 0, "9.7", length="76.5")
    assert list(third.alerts.values_list("kind", flat=True)) == ["2t"]
    assert AuditEvent.objects.filter(action="health.alert.raise", household_id=child.household_id).count() == 1


def test_weight_gain_or_a_skipped_month_raises_no_2t(cast, kid, session_at):
    child = kid(days=500)
    _visit(cast, session_at, child, 3, "9.8")
    _visit(cast, session_at, child, 1, "9.8")  # month 2 skipped
    _visit(cast, session_at, child, 0, "9.8")
    assert not GrowthAlert.objects.filter(kind="2t").exists()


def test_newly_stunted_is_raised_once(cast, kid, session_at):
    child = kid(days=700, sex="P")
    first = _visit(cast, session_at, child, 1, "9.0", length="80.0")
    assert first.haz >= -2 and not first.alerts.exists()
    second = _visit(cast, session_at, child, 0, "9.1", length="76.0")
    assert second.haz < -2
    assert list(second.alerts.values_list("kind", flat=True)) == ["stunted"]


def test_severe_wasting_and_oedema_call_for_referral(cast, kid, session_at):
    child = kid(days=400)
    visit = _visit(cast, session_at, child, 0, "7.0", length="76.0")
    assert visit.whz < -3 and visit.whz_class == "gizi_buruk"
    assert "severe" in set(visit.alerts.values_list("kind", flat=True))
    other = kid(days=400, name="Citra Lestari", sex="P")
    oedema = _visit(cast, session_at, other, 0, "8.0", oedema=True)
    assert oedema.waz is None and "severe" in set(oedema.alerts.values_list("kind", flat=True))


def test_resolving_an_alert_both_ways(cast, kid, session_at):
    child = kid(days=400)
    alert = _visit(cast, session_at, child, 0, "7.0", length="76.0").alerts.get(kind="severe")
    refused("permission_denied", alert_resolve, actor=cast["cadre_other"], alert=alert, resolution="dirujuk")
    refused("validation_failed", alert_resolve, actor=cast["cadre"], alert=alert, resolution=" ")
    alert = alert_resolve(actor=cast["cadre"], alert=alert, resolution="dirujuk ke puskesmas Kebon Jeruk")
    assert alert.resolved and alert.resolved_by == cast["cadre"]
    refused("alert_resolved", alert_resolve, actor=cast["cadre"], alert=alert, resolution="lagi")


def test_a_correction_that_removes_the_condition_clears_the_open_alert(cast, kid, session_at):
    child = kid(days=400)
    visit = _visit(cast, session_at, child, 0, "7.0", length="76.0")
    assert visit.alerts.filter(resolved=False).count() == 1
    visit_correct(actor=cast["cadre"], visit=visit, data={"weight_kg": "9.4", "length_cm": "76.0",
                                                          "position": "lying"}, reason="salah ketik")
    assert not GrowthAlert.objects.filter(child=child, resolved=False).exists()


@pytest.mark.parametrize("who,allowed", [("admin", True), ("cadre", True), ("cadre_other", False),
                                         ("officer", False), ("surveyor", False)])
def test_a_session_export_is_audited_and_refused_to_others(cast, kid, session_at, who, allowed):
    child, session = kid(days=400), session_at(0)
    visit_record(actor=cast["cadre"], session=session, child=child, data=MEASURE)
    if allowed:
        body = session_export(actor=cast[who], session=session)
        assert body.splitlines()[1].split(",")[1] == "BAYU SAPUTRA"
        assert AuditEvent.objects.get(action="health.session.export").changes == {"rows": 1}
    else:
        refused("permission_denied", session_export, actor=cast[who], session=session)
    assert ChildVisit.objects.count() == 1
