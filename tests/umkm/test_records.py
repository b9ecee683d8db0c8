"""Equipment, mentoring and monthly revenue; the revenue trend and months active of the indicators."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.core.models import AuditEvent
from bansos.umkm import arithmetic as ar
from bansos.umkm.models import RevenueLog
from bansos.umkm.selectors import indicators_for
from bansos.umkm.services.records import (
    MSG_MONTH_FUTURE, equipment_record, mentoring_record, revenue_log_set,
)
from tests.umkm.conftest import days_ago, refused, today

pytestmark = pytest.mark.django_db


def months_back(n: int) -> dt.date:
    return ar.add_months(today().replace(day=1), -n)


def test_a_month_is_normalised_and_entered_again_updates(cast, umkm):
    _p, _e, business = umkm()
    row = revenue_log_set(actor=cast["officer"], business=business, month=months_back(1).replace(day=17),
                          revenue=3_000_000, profit=600_000)
    assert row.month == months_back(1)
    again = revenue_log_set(actor=cast["officer"], business=business, month=months_back(1).replace(day=2),
                            revenue=3_500_000, profit=600_000)
    assert again.pk == row.pk and RevenueLog.objects.count() == 1
    event = AuditEvent.objects.get(action="umkm.revenue.update")
    assert event.changes["revenue"] == [3_000_000, 3_500_000]
    assert "profit" not in event.changes
    assert event.household_id == business.household_id


def test_revenue_refusals(cast, umkm):
    _p, _e, business = umkm()
    error = refused("validation_failed", revenue_log_set, actor=cast["officer"], business=business,
                    month=ar.add_months(today().replace(day=1), 1), revenue=1, profit=0)
    assert error.errors == {"month": [str(MSG_MONTH_FUTURE)]}
    error = refused("validation_failed", revenue_log_set, actor=cast["officer"], business=business,
                    month=months_back(1), revenue=-1, profit=5)
    assert set(error.errors) == {"revenue"}
    error = refused("validation_failed", revenue_log_set, actor=cast["officer"], business=business,
                    month=months_back(1), revenue=100, profit=101)
    assert set(error.errors) == {"profit"}
    refused("validation_failed", revenue_log_set, actor=cast["officer"], business=business,
            month=dt.date(2024, 2, 1), revenue=100, profit=1)  # before the business started
    # A loss is a negative profit.
    assert revenue_log_set(actor=cast["officer"], business=business, month=months_back(0), revenue=100,
                           profit=-50).profit == -50


def test_equipment_and_mentoring(cast, umkm):
    _p, _e, business = umkm()
    equipment_record(actor=cast["officer"], business=business, data={"item": "Gerobak", "value": 2_000_000,
                                                                     "given_on": days_ago(2)})
    mentoring_record(actor=cast["officer"], business=business, data={
        "date": days_ago(1), "topic": "Pembukuan sederhana", "mentor": "Ibu Ratna", "notes": "Buku kas harian"})
    assert list(AuditEvent.objects.filter(household_id=business.household_id, action__in=(
        "umkm.equipment.record", "umkm.mentoring.record")).values_list("action", flat=True).order_by("pk")) == [
        "umkm.equipment.record", "umkm.mentoring.record"]
    error = refused("validation_failed", mentoring_record, actor=cast["officer"], business=business,
                    data={"date": today() + dt.timedelta(days=1), "topic": "", "mentor": ""})
    assert set(error.errors) == {"date", "topic", "mentor"}
    error = refused("validation_failed", equipment_record, actor=cast["officer"], business=business,
                    data={"item": "", "value": -1, "given_on": None})
    assert set(error.errors) == {"item", "value", "given_on"}


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident", "anonymous"])
def test_others_may_not_record(cast, umkm, who):
    from django.contrib.auth.models import AnonymousUser

    _p, _e, business = umkm()
    actor = AnonymousUser() if who == "anonymous" else cast[who]
    refused("permission_denied", revenue_log_set, actor=actor, business=business, month=months_back(1),
            revenue=1, profit=1)
    refused("permission_denied", mentoring_record, actor=actor, business=business,
            data={"date": today(), "topic": "x", "mentor": "y"})
    refused("permission_denied", equipment_record, actor=actor, business=business,
            data={"item": "x", "value": 1, "given_on": today()})


@pytest.mark.parametrize("revenues, code", [
    ([100, 100, 100], ar.KURANG_DATA),
    ([100, 100, 100, 110, 110, 110], ar.STABIL),  # oldest first here: +10 % exactly is stable
    ([100, 100, 100, 111, 110, 110], ar.NAIK),
    ([100, 100, 100, 89, 90, 90], ar.TURUN),
])
def test_the_trend_of_a_business(cast, umkm, revenues, code):
    _p, _e, business = umkm()
    for i, revenue in enumerate(revenues):
        revenue_log_set(actor=cast["officer"], business=business, month=months_back(len(revenues) - 1 - i),
                        revenue=revenue, profit=0)
    assert indicators_for([business])[business.pk].trend.code == code


def test_months_active_stop_at_closing(cast, umkm):
    from bansos.umkm.services.businesses import business_close

    _p, _e, business = umkm(started_on=dt.date(2025, 1, 10))
    business = business_close(actor=cast["officer"], business=business, closed_on=dt.date(2025, 7, 10),
                              reason="Bangkrut")
    assert indicators_for([business])[business.pk].months_active == 6
