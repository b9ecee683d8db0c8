"""The household history: UMKM events in full for those who manage the business, without details for others."""

from __future__ import annotations

import pytest

from bansos.core.audit import action_label
from bansos.core.models import AuditEvent
from bansos.registry.panels import history_for
from tests.umkm.conftest import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(cast, loan):
    from bansos.umkm.services.capital import repayment_record

    business, capital = loan()
    repayment_record(actor=cast["officer"], loan=capital, paid_on=today(), amount=50_000)
    return list(AuditEvent.objects.filter(household_id=business.household_id, action__startswith="umkm."))


@pytest.mark.parametrize("who, full", [("admin", True), ("officer", True), ("resident", True),
                                       ("officer_other", False), ("surveyor", False), ("cadre", False)])
def test_who_reads_the_details(cast, events, who, full):
    shown = history_for(user=cast[who], events=events)
    assert len(shown) == len(events) == 4  # business, capital record and disbursement, repayment
    repayment = next(e for e in shown if e.action == "umkm.repayment.record")
    if full:
        assert repayment.changes["amount"] == 50_000
    else:
        assert (repayment.changes, repayment.reason, repayment.object_label) == ({}, "", "Usaha mikro (UMKM)")
    # The events in the database are untouched.
    assert AuditEvent.objects.get(pk=repayment.pk).changes["amount"] == 50_000


def test_every_action_has_a_label(events):
    import bansos.umkm.hooks  # noqa: F401

    for code in ("umkm.business.create", "umkm.business.update", "umkm.business.close", "umkm.business.reopen",
                 "umkm.capital.record", "umkm.capital.disburse", "umkm.repayment.record", "umkm.repayment.reverse",
                 "umkm.equipment.record", "umkm.mentoring.record", "umkm.revenue.record", "umkm.revenue.update"):
        assert action_label(code) != code
