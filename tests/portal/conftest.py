"""Portal fixtures: a household with a phone, programs open for resident applications, and helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.programs.conftest import enrol, make_program, source  # noqa: F401


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture(autouse=True)
def _limits(monkeypatch):
    """Generous limits by default; the throttling tests lower them."""
    for name, value in (("PORTAL_STATUS_PER_IP", "1000"), ("PORTAL_STATUS_PER_NIK", "1000"),
                        ("PORTAL_ACTIVATION_PER_IP", "1000"), ("PORTAL_ACTIVATION_PER_NIK", "1000"),
                        ("PORTAL_LOGIN_PER_IP", "1000")):
        monkeypatch.setenv(name, value)


@pytest.fixture
def home(cast):
    """The RW 1 household, with a phone on record; its head is the person who activates."""
    household = cast["households"]["rw1"]
    household.phone = "081234567890"
    household.save(update_fields=["phone"])
    return household


@pytest.fixture
def head(home):
    return home.residents.get(relation="head")


@pytest.fixture
def other_home(cast):
    return cast["households"]["rw2"]


@pytest.fixture
def training(make_program):
    """A running training program (one person per enrollment) open for resident applications."""
    return make_program("dinsos", kind="training", participant="resident", benefit_kind="course", benefit_amount=0,
                        status="running", name="Pelatihan Menjahit", target_groups=["female_head", "youth"],
                        how_to_apply="Daftar lewat portal atau datang ke kelurahan.", contact="021-555",
                        resident_applications=True,
                        start_date=today() - dt.timedelta(days=10), end_date=today() + dt.timedelta(days=100))


@pytest.fixture
def cash_program(make_program):
    """An open household cash program, not open for resident applications."""
    return make_program("lsm", kind="cash", participant="household", benefit_kind="money", benefit_amount=0,
                        status="open", name="BLT Warga", target_groups=["poor"],
                        start_date=today() - dt.timedelta(days=10), end_date=today() + dt.timedelta(days=100))


@pytest.fixture
def draft_program(make_program):
    return make_program("dinsos", kind="training", participant="resident", benefit_kind="course", status="draft",
                        name="Program Draf Rahasia", resident_applications=True,
                        start_date=today(), end_date=today() + dt.timedelta(days=30))


def sms_code(phone: str = "081234567890") -> str:
    """The 6-digit code in the newest SMS queued for ``phone`` (the outbox)."""
    import re

    from bansos.notifications.models import Message

    message = Message.objects.filter(channel="sms", address=phone).order_by("-pk").first()
    assert message is not None, "no SMS queued"
    return re.search(r"\b(\d{6})\b", message.body).group(1)
