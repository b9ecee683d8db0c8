import pytest

from bansos.meetings.demo import demo_meetings_create
from bansos.meetings.models import Attendance, Meeting, Need, NeedVote


def _snapshot():
    return (
        list(Meeting.objects.order_by("pk").values_list("rw__number", "date", "title", "others_count",
                                                        "others_women", "others_youth")),
        list(Attendance.objects.order_by("pk").values_list("meeting__title", "resident__nik", "is_woman", "is_youth")),
        list(Need.objects.order_by("pk").values_list("category", "description", "hand_votes", "status")),
        NeedVote.objects.count(),
    )


@pytest.mark.django_db
def test_demo_meetings_are_realistic_and_reproducible():
    from bansos.demo.services import demo_seed

    demo_seed(households=300, seed=7)
    summary = demo_meetings_create(seed=7)
    first = _snapshot()
    rws = Meeting.objects.values("rw").distinct().count()
    assert summary["meetings"] == Meeting.objects.count() == 3 * rws
    assert summary["attendances"] == Attendance.objects.count() > 0
    assert set(Meeting.objects.values_list("status", flat=True)) == {"held"}
    # Attendees live in the meeting's RW.
    assert not Attendance.objects.exclude(resident__household__rt__rw=models_f("meeting__rw")).exists()
    Meeting.objects.all().delete()
    demo_meetings_create(seed=7)
    assert _snapshot() == first


def models_f(name):
    from django.db.models import F

    return F(name)
