"""Meetings built through the real services, for the meeting tests."""

from __future__ import annotations

import datetime as dt

from bansos.core.models import AuditEvent
from bansos.meetings import services
from bansos.meetings.models import Attendance, Meeting, Need, NeedVote

PAST = dt.date(2025, 8, 17)


def held_meeting(*, actor, rw, title="Musyawarah RW", date=PAST, **extra):
    data = {"date": date, "rw": rw, "title": title, "place": "Balai warga", "agenda": "Kebutuhan warga"}
    data.update(extra)
    return services.meeting_create(actor=actor, data=data, status="held")


def state() -> tuple:
    """Everything the meetings app stores, and the audit-event count: equal before and after a refusal."""
    return (
        list(Meeting.objects.order_by("pk").values()),
        list(Attendance.objects.order_by("pk").values()),
        list(Need.objects.order_by("pk").values()),
        list(NeedVote.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def members(household):
    """Members of a household by first name."""
    from bansos.registry.models import Resident

    return {r.full_name.split()[0].title(): r for r in Resident.objects.filter(household=household).select_related("household__rt")}


def add_member(*, actor, household, name: str, sex: str, birth_date: dt.date, relation: str = "child"):
    from bansos.registry.services import resident_add
    from tests.factories import person

    return resident_add(actor=actor, household=household, data=person(name, sex, birth_date, relation),
                        reason="anggota baru")
