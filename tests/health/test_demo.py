import pytest

from bansos.health.demo import demo_health_create
from bansos.health.models import ChildVisit, PosyanduSession

pytestmark = pytest.mark.django_db


def test_the_demo_fills_sessions_and_visits_once(cast):
    made = demo_health_create(actor=cast["admin"])
    assert made["sessions"] == 24 and PosyanduSession.objects.count() == 24
    assert made["visits"] == ChildVisit.objects.count() > 10 and made["refused"] == 0
    assert demo_health_create(actor=cast["admin"]) is None
