"""Maternal-care services: opening a pregnancy (EDD, registry flag), antenatal visits with stored flags,
plausibility refusals, delivery and postnatal visits, ending, deaths; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bansos.core.models import AuditEvent
from bansos.health.models_maternal import AntenatalVisit, Delivery, HealthDeath, Pregnancy, PregnancyStatus
from bansos.health.services_maternal import (
    antenatal_record, death_record, delivery_record, postnatal_record, pregnancy_end, pregnancy_open,
    pregnancy_set_edd, pregnancies_export,
)
from tests.health.conftest import maternal_state, refused_maternal

pytestmark = pytest.mark.django_db


def ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def test_a_cadre_opens_a_pregnancy_with_naegele_and_the_registry_flag_follows(cast, woman):
    mother = woman()
    assert mother.pregnant is False
    p = pregnancy_open(actor=cast["cadre"], mother=mother, data={"lmp": ago(70), "gravida": "2", "para": "1"})
    assert p.edd == ago(70) + dt.timedelta(days=280) and p.status == "ongoing" and (p.gravida, p.para) == (2, 1)
    mother.refresh_from_db()
    assert mother.pregnant is True
    flag = AuditEvent.objects.get(action="resident.pregnant")
    assert flag.household_id == mother.household_id and flag.changes == {"pregnant": [False, True]}
    assert AuditEvent.objects.get(action="health.pregnancy.open").actor == cast["cadre"]


def test_an_edd_other_than_naegele_needs_a_reason_and_a_correction_is_audited(cast, woman):
    mother = woman()
    error = refused_maternal("validation_failed", pregnancy_open, actor=cast["cadre"], mother=mother,
                             data={"lmp": ago(70), "edd": ago(70) + dt.timedelta(days=285)})
    assert "edd_reason" in error.errors
    p = pregnancy_open(actor=cast["cadre"], mother=mother, data={"lmp": ago(70), "edd": ago(70) + dt.timedelta(days=285),
                                                                 "edd_reason": "USG trimester 1"})
    assert p.edd == ago(70) + dt.timedelta(days=285)
    refused_maternal("validation_failed", pregnancy_set_edd, actor=cast["cadre"], pregnancy=p,
                     edd=ago(70) + dt.timedelta(days=200), reason="x")
    refused_maternal("validation_failed", pregnancy_set_edd, actor=cast["cadre"], pregnancy=p,
                     edd=ago(70) + dt.timedelta(days=283), reason="")
    p = pregnancy_set_edd(actor=cast["cadre"], pregnancy=p, edd=ago(70) + dt.timedelta(days=283), reason="USG ulang")
    event = AuditEvent.objects.get(action="health.pregnancy.edd")
    assert event.reason == "USG ulang" and event.changes["edd"][1] == (ago(70) + dt.timedelta(days=283)).isoformat()


def test_one_ongoing_pregnancy_per_woman(cast, woman):
    mother = woman()
    pregnancy_open(actor=cast["cadre"], mother=mother, data={"lmp": ago(70)})
    refused_maternal("pregnancy_exists", pregnancy_open, actor=cast["cadre"], mother=mother, data={"lmp": ago(60)})


@pytest.mark.parametrize("data,field", [
    ({"lmp": ""}, "lmp"),
    ({"lmp": "kemarin"}, "lmp"),
    ({"lmp": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "lmp"),
    ({"lmp": (timezone.localdate() - dt.timedelta(days=309)).isoformat()}, "lmp"),
    ({"lmp": (timezone.localdate() - dt.timedelta(days=30)).isoformat(), "gravida": "1", "para": "1"}, "para"),
    ({"lmp": (timezone.localdate() - dt.timedelta(days=30)).isoformat(), "gravida": "0"}, "gravida"),
])
def test_bad_pregnancy_input_is_refused(cast, woman, data, field):
    error = refused_maternal("validation_failed", pregnancy_open, actor=cast["cadre"], mother=woman(), data=data)
    assert field in error.errors


def test_a_man_cannot_be_pregnant(cast):
    head = cast["households"]["rw1"].residents.get(relation="head")
    refused_maternal("not_woman", pregnancy_open, actor=cast["cadre"], mother=head, data={"lmp": ago(30)})


def test_an_antenatal_visit_stores_its_week_and_flags(cast, woman):
    p = pregnancy_open(actor=cast["cadre"], mother=woman(), data={"lmp": ago(100)})
    v = antenatal_record(actor=cast["cadre"], pregnancy=p, data={
        "visit_date": ago(2), "weight_kg": "55,4", "systolic": "140", "diastolic": "85", "muac_cm": "23,5",
        "hb_g_dl": "10.9", "place": "puskesmas"})
    assert v.gestational_days == 98 and v.week == 14
    assert (v.kek, v.high_bp, v.anaemia) == (False, True, True)
    assert v.weight_kg == Decimal("55.4") and v.muac_cm == Decimal("23.5")
    event = AuditEvent.objects.get(action="health.anc.record")
    assert event.household_id == p.household_id and event.changes["high_bp"] is True


@pytest.mark.parametrize("data,field", [
    ({"weight_kg": "250"}, "weight_kg"),
    ({"weight_kg": "abc"}, "weight_kg"),
    ({"systolic": "300", "diastolic": "80"}, "systolic"),
    ({"systolic": "120", "diastolic": "20"}, "diastolic"),
    ({"systolic": "120"}, "diastolic"),
    ({"systolic": "90", "diastolic": "95"}, "diastolic"),
    ({"systolic": "120.5", "diastolic": "80"}, "systolic"),
    ({"muac_cm": "10"}, "muac_cm"),
    ({"muac_cm": "50"}, "muac_cm"),
    ({"hb_g_dl": "2"}, "hb_g_dl"),
    ({"hb_g_dl": "25"}, "hb_g_dl"),
    ({}, "weight_kg"),
    ({"weight_kg": "55", "place": "mall"}, "place"),
    ({"weight_kg": "55", "visit_date": (timezone.localdate() - dt.timedelta(days=150)).isoformat()}, "visit_date"),
    ({"weight_kg": "55", "visit_date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "visit_date"),
])
def test_implausible_antenatal_values_are_refused_and_nothing_is_stored(cast, woman, data, field):
    p = pregnancy_open(actor=cast["cadre"], mother=woman(), data={"lmp": ago(100)})
    error = refused_maternal("validation_failed", antenatal_record, actor=cast["cadre"], pregnancy=p,
                             data={"visit_date": ago(1), **data})
    assert field in error.errors


def test_a_second_visit_on_the_same_day_is_refused(cast, woman):
    p = pregnancy_open(actor=cast["cadre"], mother=woman(), data={"lmp": ago(100)})
    antenatal_record(actor=cast["cadre"], pregnancy=p, data={"visit_date": ago(1), "weight_kg": "55"})
    refused_maternal("visit_exists", antenatal_record, actor=cast["cadre"], pregnancy=p,
                     data={"visit_date": ago(1), "weight_kg": "56"})


def test_delivery_ends_the_pregnancy_clears_the_flag_and_links_the_baby(cast, woman, kid):
    mother = woman()
    p = pregnancy_open(actor=cast["cadre"], mother=mother, data={"lmp": ago(280)})
    baby = kid(days=3, name="Bayi Lestari", sex="P")
    refused_maternal("validation_failed", delivery_record, actor=cast["cadre"], pregnancy=p,
                     data={"date": ago(4), "place": "puskesmas", "attendant": "midwife", "outcome": "live",
                           "baby_id": baby.pk})
    refused_maternal("validation_failed", delivery_record, actor=cast["cadre"], pregnancy=p,
                     data={"date": ago(3), "place": "puskesmas", "attendant": "midwife", "outcome": "live",
                           "birth_weight_g": "9000"})
    d = delivery_record(actor=cast["cadre"], pregnancy=p, data={
        "date": ago(3), "place": "puskesmas", "attendant": "midwife", "outcome": "live", "birth_weight_g": "2400",
        "baby_id": baby.pk})
    p.refresh_from_db()
    mother.refresh_from_db()
    assert p.status == "delivered" and p.ended_on == ago(3) and mother.pregnant is False
    assert d.baby == baby and d.low_birth_weight is True and d.gestational_days == 277
    refused_maternal("pregnancy_not_ongoing", antenatal_record, actor=cast["cadre"], pregnancy=p,
                     data={"visit_date": ago(1), "weight_kg": "55"})
    pnc = postnatal_record(actor=cast["cadre"], pregnancy=p, data={"visit_date": ago(1), "mother_notes": "sehat"})
    assert pnc.days_after == 2
    refused_maternal("validation_failed", postnatal_record, actor=cast["cadre"], pregnancy=p,
                     data={"visit_date": ago(5)})


def test_a_delivery_before_20_weeks_is_refused(cast, woman):
    p = pregnancy_open(actor=cast["cadre"], mother=woman(), data={"lmp": ago(120)})
    error = refused_maternal("validation_failed", delivery_record, actor=cast["cadre"], pregnancy=p,
                             data={"date": ago(1), "place": "home", "attendant": "midwife", "outcome": "live"})
    assert "date" in error.errors


def test_postnatal_before_delivery_is_refused(cast, woman):
    p = pregnancy_open(actor=cast["cadre"], mother=woman(), data={"lmp": ago(120)})
    refused_maternal("not_delivered", postnatal_record, actor=cast["cadre"], pregnancy=p, data={})


@pytest.mark.parametrize("status,flag_after", [("miscarriage", False), ("abortion", False), ("ended_other", False),
                                               ("moved", True)])
def test_ending_a_pregnancy_clears_the_flag_except_when_she_moved(cast, woman, status, flag_after):
    mother = woman()
    p = pregnancy_open(actor=cast["cadre"], mother=mother, data={"lmp": ago(60)})
    refused_maternal("validation_failed", pregnancy_end, actor=cast["cadre"], pregnancy=p, status=status,
                     date=ago(1), reason="")
    pregnancy_end(actor=cast["cadre"], pregnancy=p, status=status, date=ago(1), reason="keterangan bidan")
    mother.refresh_from_db()
    assert Pregnancy.objects.get(pk=p.pk).status == status and mother.pregnant is flag_after


def test_deaths_are_recorded_for_monitoring_with_age_checks(cast, kid):
    household = cast["households"]["rw1"]
    baby = kid(days=20)
    refused_maternal("validation_failed", death_record, actor=cast["cadre"], household=household,
                     data={"kind": "infant", "cause": "infection", "place": "hospital", "date": ago(0),
                           "resident_id": baby.pk})
    death = death_record(actor=cast["cadre"], household=household, data={
        "kind": "neonatal", "cause": "infection", "place": "hospital", "date": ago(0), "resident_id": baby.pk})
    assert death.resident == baby
    assert AuditEvent.objects.get(action="health.death.record").household_id == household.pk
    refused_maternal("validation_failed", death_record, actor=cast["cadre"], household=household,
                     data={"kind": "neonatal", "cause": "infection", "place": "hospital", "date": ago(0),
                           "resident_id": baby.pk})


def test_the_export_is_audited(cast, woman, areas):
    pregnancy_open(actor=cast["cadre"], mother=woman(), data={"lmp": ago(100)})
    body = pregnancies_export(actor=cast["cadre"], posyandu=areas["pos1"])
    assert body.splitlines()[0].startswith("nama_ibu,") and len(body.splitlines()) == 2
    assert AuditEvent.objects.get(action="health.pregnancy.export").changes == {"rows": 1}


REFUSED = ["cadre_other", "officer", "surveyor", "surveyor_rt", "resident", "evaluator"]


@pytest.mark.parametrize("who", REFUSED)
def test_everyone_outside_the_posyandu_area_is_refused_with_nothing_changed(cast, woman, kid, areas, who):
    mother = woman()
    actor = cast[who]
    refused_maternal("permission_denied", pregnancy_open, actor=actor, mother=mother, data={"lmp": ago(100)})
    p = pregnancy_open(actor=cast["cadre"], mother=mother, data={"lmp": ago(100)})
    for call, kwargs in (
        (antenatal_record, {"pregnancy": p, "data": {"visit_date": ago(1), "weight_kg": "55"}}),
        (pregnancy_set_edd, {"pregnancy": p, "edd": ago(100) + dt.timedelta(days=282), "reason": "USG"}),
        (delivery_record, {"pregnancy": p, "data": {"date": ago(1), "place": "home", "attendant": "midwife",
                                                    "outcome": "live"}}),
        (pregnancy_end, {"pregnancy": p, "status": "miscarriage", "date": ago(1), "reason": "x"}),
        (death_record, {"household": mother.household, "data": {"kind": "maternal", "cause": "other",
                                                                 "place": "home", "date": ago(1)}}),
        (pregnancies_export, {"posyandu": areas["pos1"]}),
    ):
        refused_maternal("permission_denied", call, actor=actor, **kwargs)
    mother.refresh_from_db()
    assert mother.pregnant is True and AntenatalVisit.objects.count() == 0 and Delivery.objects.count() == 0
    assert HealthDeath.objects.count() == 0 and Pregnancy.objects.get().status == PregnancyStatus.ONGOING


def test_the_admin_may_record_in_any_area(cast, woman):
    mother = woman("rw2")
    p = pregnancy_open(actor=cast["admin"], mother=mother, data={"lmp": ago(100)})
    antenatal_record(actor=cast["admin"], pregnancy=p, data={"weight_kg": "55"})
    assert maternal_state()[1] == 1
