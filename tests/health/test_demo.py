import pytest

from bansos.health.demo import demo_health_create
from bansos.health.models import ChildVisit, PosyanduSession

pytestmark = pytest.mark.django_db


def test_the_demo_fills_sessions_and_visits_once(cast):
    made = demo_health_create(actor=cast["admin"])
    assert made["sessions"] == 24 and PosyanduSession.objects.count() == 24
    assert made["visits"] == ChildVisit.objects.count() > 10 and made["refused"] == 0
    assert demo_health_create(actor=cast["admin"]) is None


def test_the_maternal_demo_fills_pregnancies_once(cast, woman):
    from bansos.health.demo import demo_maternal_create
    from bansos.health.models_maternal import AntenatalVisit, EducationSession, Pregnancy

    for i, age in enumerate((19, 24, 27, 31, 36)):
        woman(age=age, name=f"Ibu Contoh {'ABCDE'[i]}")
    made = demo_maternal_create(actor=cast["admin"])
    assert made["pregnancies"] == Pregnancy.objects.count() == 5 and made["refused"] == 0
    assert made["visits"] == AntenatalVisit.objects.count() > 5
    assert made["sessions"] == EducationSession.objects.count() == 2
    assert demo_maternal_create(actor=cast["admin"]) is None
