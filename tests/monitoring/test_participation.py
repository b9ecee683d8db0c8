"""Participation indicators (forum, feedback, announcement reach, grievances) against hand-built data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bansos.monitoring.services import snapshot_run
from tests.monitoring.conftest import cells, month_before, this_month

DAY = dt.timedelta(days=1)


def _grievance(n: int, *, rw, received, due, resolved=None, appealed=None, closed=None, state="received",
               program=None):
    from bansos.grievances.models import Grievance

    return Grievance.objects.create(
        code=f"UJI{n:05d}", category="other", channel="office", track="complaint", state=state, subject=f"Uji {n}",
        description="uji", complainant_name="Warga", rw=rw, program=program, received_at=received,
        first_response_due_at=received + DAY, resolution_due_at=due, resolved_at=resolved, appealed_at=appealed,
        closed_at=closed, appeal_count=1 if appealed else 0)


@pytest.fixture
def participation(cast, areas, make_program, enrol):
    """Posts, ratings, announcement messages and seven grievances with known answers (see each test)."""
    from bansos.forums.models import Forum, ProgramFeedback, Reply, Thread
    from bansos.notifications.models import Message
    from bansos.registry.models import Resident

    hh = cast["households"]
    now = timezone.now()
    start = timezone.make_aware(dt.datetime.combine(this_month(), dt.time()))
    moment = max(start + dt.timedelta(minutes=5), now - dt.timedelta(minutes=5))  # within this month
    forum1 = Forum.objects.create(kind="rw", rw=areas["rw1"])
    forum2 = Forum.objects.create(kind="rw", rw=areas["rw2"])
    t1 = Thread.objects.create(forum=forum1, author=cast["resident"], title="Air", body="x", last_activity_at=now)
    Reply.objects.create(thread=t1, author=cast["resident"], body="a")
    Reply.objects.create(thread=t1, author=cast["resident"], body="b")
    Reply.objects.create(thread=t1, author=cast["admin"], body="staff: not counted")
    Reply.objects.create(thread=t1, author=cast["resident_other"], body="hidden", hidden_at=moment)
    Thread.objects.create(forum=forum2, author=cast["resident_other"], title="Jalan", body="y", last_activity_at=now)
    old = Thread.objects.create(forum=forum1, author=cast["resident"], title="Lama", body="z", last_activity_at=now)
    Thread.objects.filter(pk=old.pk).update(created_at=start - 3 * DAY)
    Thread.objects.exclude(pk=old.pk).update(created_at=moment)
    Reply.objects.update(created_at=moment)

    cash = make_program("dinsos", kind="cash", name="BLT Uji", budget=5_000_000)
    enrol(cash, hh["rw1"], "active")
    enrol(cash, hh["rw2"], "active")
    enrol(cash, hh["rw1_rt2"], "applied")
    head = Resident.objects.get(household=hh["rw1"], relation="head")
    ProgramFeedback.objects.create(program=cash, resident=head, household=hh["rw1"], rating=4)

    for key in ("rw1", "rw1_rt2", "rw2"):
        Message.objects.create(channel="inbox", household=hh[key], topic="announcement", subject="Posyandu",
                               body=".", status="sent", sent_at=moment, read_at=moment if key == "rw1" else None)
    Message.objects.create(channel="inbox", household=hh["rw2"], topic="grievance.status", subject="Status",
                           body=".", status="read", sent_at=moment, read_at=moment)

    rw1, rw2 = areas["rw1"], areas["rw2"]
    _grievance(1, rw=rw1, received=now - 10 * DAY, resolved=now - 2 * DAY, due=now - 5 * DAY, state="resolved",
               program=cash)
    _grievance(2, rw=rw1, received=now - 4 * DAY, resolved=now - 3 * DAY, due=now + DAY, state="closed",
               closed=now - DAY)
    _grievance(3, rw=rw2, received=now - 20 * DAY, resolved=now - 18 * DAY, due=now - 15 * DAY, state="resolved")
    _grievance(4, rw=rw1, received=now - 10 * DAY, due=now - DAY, state="in_progress")
    _grievance(5, rw=rw2, received=now - DAY, due=now + 3 * DAY)
    _grievance(6, rw=rw2, received=now - 30 * DAY, resolved=now - 25 * DAY, appealed=now - 24 * DAY,
               due=now + 10 * DAY, state="appealed")
    _grievance(7, rw=rw1, received=now - 6 * DAY, due=now - DAY, closed=now - 5 * DAY, state="rejected")
    return {"cash": cash}


@pytest.fixture
def snap(participation):
    return snapshot_run(actor=None)


def _triple(cell):
    return cell.numerator, cell.denominator, cell.value


def test_it_counts_resident_forum_posts_per_100_households(snap):
    c = cells("part-forum-posts")
    # thread + 2 replies of RW 1's resident, a thread of RW 2's; not staff, not hidden, not last month's
    assert _triple(c["total", ""]) == (4, 3, 133.33)
    assert _triple(c["rw", "1"]) == (3, 2, 150.0)
    assert _triple(c["rw", "2"]) == (1, 1, 100.0)
    assert c["female_head", "1"].numerator == 0 and c["female_head", "1"].denominator == 1
    assert c["total", ""].households == 3


def test_it_shares_participating_households_that_gave_feedback(snap, participation):
    c = cells("part-feedback")
    # two households take part (the applied one does not yet); Budi's rated the program
    assert _triple(c["total", ""]) == (1, 2, 50.0)
    assert (c["rw", "1"].numerator, c["rw", "1"].denominator) == (1, 1)
    assert (c["rw", "2"].numerator, c["rw", "2"].denominator) == (0, 1)
    assert (c["program", str(participation["cash"].pk)].numerator,
            c["program", str(participation["cash"].pk)].denominator) == (1, 2)


def test_it_measures_announcement_reach_among_households_that_received_one(snap):
    c = cells("part-announcement-reach")
    assert _triple(c["total", ""]) == (1, 3, 33.33)
    assert (c["rw", "2"].numerator, c["rw", "2"].denominator) == (0, 1)


def test_it_counts_open_grievances_appealed_ones_included(snap):
    c = cells("part-grievances-open")
    assert (c["total", ""].numerator, c["total", ""].denominator, c["total", ""].value) == (3, None, 3.0)
    assert (c["rw", "1"].value, c["rw", "2"].value) == (1.0, 2.0)
    assert c["total", ""].households == 3 and c["total", ""].suppressed  # fewer than five grievances


def test_it_shares_overdue_among_open_grievances(snap):
    c = cells("part-grievances-overdue")
    assert _triple(c["total", ""]) == (1, 3, 33.33)
    assert (c["rw", "1"].numerator, c["rw", "1"].denominator, c["rw", "2"].numerator) == (1, 1, 0)


def test_it_takes_the_median_days_to_resolve(snap, participation):
    c = cells("part-grievance-days")
    # resolved in the window: 8, 1, 2 and 5 days (the appealed one by its first resolution)
    assert (c["total", ""].numerator, c["total", ""].value) == (4, 3.5)
    assert (c["rw", "1"].value, c["rw", "2"].value) == (4.5, 3.5)
    assert c["program", str(participation["cash"].pk)].value == 8.0
    assert ("program", "") not in c and ("agency", "") not in c


def test_it_shares_grievances_resolved_within_their_deadline(snap):
    c = cells("part-grievances-within-sla")
    assert _triple(c["total", ""]) == (3, 4, 75.0)
    assert (c["rw", "1"].numerator, c["rw", "1"].denominator) == (1, 2)


def test_it_reproduces_a_past_month_from_grievance_timestamps(cast, areas):
    """Resolved in month M-3 and appealed in M-2: resolved at M-3's end, open again at M-2's end."""
    def at(month: dt.date, day: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime(month.year, month.month, day, 10))

    m3, m2 = month_before(this_month(), 3), month_before(this_month(), 2)
    _grievance(9, rw=areas["rw1"], received=at(m3, 5), resolved=at(m3, 10), appealed=at(m2, 2),
               due=at(month_before(this_month(), 1), 5), state="appealed")
    snapshot_run(actor=None, period=m3)
    snapshot_run(actor=None, period=m2)
    assert cells("part-grievances-open", m3)["total", ""].numerator == 0
    assert cells("part-grievance-days", m3)["total", ""].value == 5.0
    assert cells("part-grievances-open", m2)["total", ""].numerator == 1
    assert cells("part-grievances-overdue", m2)["total", ""].numerator == 0  # due in the month after
    assert cells("part-grievances-overdue", m2)["total", ""].denominator == 1
    assert cells("part-grievances-open", m3)["total", ""].from_current is False


def test_it_changes_nothing_in_the_past_when_a_post_is_hidden_later(cast, areas):
    from bansos.forums.models import Forum, Thread

    m1 = month_before(this_month(), 1)
    posted = timezone.make_aware(dt.datetime(m1.year, m1.month, 3, 9))
    thread = Thread.objects.create(forum=Forum.objects.create(kind="rw", rw=areas["rw1"]), author=cast["resident"],
                                   title="Uji", body="x", last_activity_at=posted)
    Thread.objects.filter(pk=thread.pk).update(created_at=posted)
    snapshot_run(actor=None, period=m1)
    before = cells("part-forum-posts", m1)["total", ""].numerator
    Thread.objects.filter(pk=thread.pk).update(hidden_at=timezone.now())
    snapshot_run(actor=None, period=m1)
    assert before == 1 and cells("part-forum-posts", m1)["total", ""].numerator == 1
