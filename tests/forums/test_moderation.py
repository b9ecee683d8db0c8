"""Moderation both ways, hidden posts invisible to residents, the abuse report flow."""

from __future__ import annotations

import pytest

from bansos.forums import selectors
from bansos.forums.models import ReportStatus
from bansos.forums.services import moderation, posts
from tests.forums.conftest import refused


@pytest.fixture
def abusive(people, thread):
    return posts.reply_create(actor=people["resident"], thread=thread, body="Dasar tetangga bodoh semua!")


@pytest.mark.parametrize("who", ["admin", "surveyor", "surveyor_rt"])
def test_the_rws_moderators_hide_a_reply(people, thread, abusive, who):
    from bansos.notifications.models import Message

    moderation.reply_hide(actor=people[who], reply=abusive, reason="Kata-kata kasar")
    abusive.refresh_from_db()
    thread.refresh_from_db()
    assert (abusive.hidden, abusive.hidden_reason, thread.reply_count) == (True, "Kata-kata kasar", 0)
    # The author is told why (in the portal inbox).
    assert Message.objects.filter(topic="forum.hidden", user=people["resident"]).count() == 1


@pytest.mark.parametrize("who", ["officer", "officer_other", "surveyor_other", "cadre", "evaluator", "resident",
                                 "resident_other"])
def test_others_may_not_moderate_an_rw_forum(people, thread, abusive, who):
    code = "permission_denied"
    refused(code, moderation.reply_hide, actor=people[who], reply=abusive, reason="Kata-kata kasar")
    refused(code, moderation.thread_hide, actor=people[who], thread=thread, reason="Kata-kata kasar")
    refused(code, moderation.thread_lock_set, actor=people[who], thread=thread, locked=True)


def test_officers_moderate_their_agencys_program_forums_only(people, program_forum):
    thread = posts.thread_create(actor=people["resident"], forum=program_forum, title="Pencairan bulan ini",
                                 body="Apakah bantuan bulan ini sudah cair?")
    refused("permission_denied", moderation.thread_lock_set, actor=people["officer_other"], thread=thread, locked=True)
    refused("permission_denied", moderation.thread_lock_set, actor=people["surveyor"], thread=thread, locked=True)
    assert moderation.thread_lock_set(actor=people["officer"], thread=thread, locked=True).locked


def test_hidden_posts_are_invisible_to_residents_but_not_to_moderators(people, thread, abusive):
    from bansos.core.errors import NotFoundError

    moderation.reply_hide(actor=people["surveyor"], reply=abusive, reason="Kata-kata kasar")
    resident, surveyor = people["resident"], people["surveyor"]
    assert selectors.replies_of(user=resident, thread=thread) == []
    assert [r.pk for r in selectors.replies_of(user=surveyor, thread=thread)] == [abusive.pk]
    moderation.thread_hide(actor=surveyor, thread=thread, reason="Topik ganda")
    assert selectors.threads_of(user=resident, forum=thread.forum) == []
    with pytest.raises(NotFoundError):
        selectors.thread_get(user=resident, pk=thread.pk)
    assert selectors.thread_get(user=surveyor, pk=thread.pk).hidden
    refused("thread_hidden", posts.reply_create, actor=resident, thread=thread, body="Halo lagi")
    moderation.thread_restore(actor=surveyor, thread=thread)
    moderation.reply_restore(actor=surveyor, reply=abusive)
    assert [r.pk for r in selectors.replies_of(user=resident, thread=thread)] == [abusive.pk]


def test_hiding_needs_a_reason(people, abusive):
    err = refused("validation_failed", moderation.reply_hide, actor=people["surveyor"], reply=abusive, reason=" ")
    assert list(err.errors) == ["reason"]
    moderation.reply_hide(actor=people["surveyor"], reply=abusive, reason="Kata-kata kasar")
    refused("already_hidden", moderation.reply_hide, actor=people["surveyor"], reply=abusive, reason="Lagi-lagi")


def test_the_abuse_report_flow_hide(people, thread, abusive, client_for):
    neighbour = people["households"]["rw1_rt2"]
    from tests.conftest import _user

    other = _user("tetangga", "resident", household=neighbour, resident=neighbour.residents.get(relation="head"))
    report = moderation.report_create(actor=other, thread=thread, reply=abusive, reason="Menghina warga")
    refused("already_reported", moderation.report_create, actor=other, thread=thread, reply=abusive,
            reason="Menghina warga lagi")
    refused("own_post", moderation.report_create, actor=people["resident"], thread=thread, reply=abusive,
            reason="Salah tulis")
    # Outside the forum, one cannot report (nor see) the post.
    refused("not_found", moderation.report_create, actor=people["resident_other"], thread=thread, reply=abusive,
            reason="Menghina warga")
    assert [r.pk for r in selectors.report_queue(user=people["surveyor"])] == [report.pk]
    assert selectors.report_queue(user=people["surveyor_other"]) == []
    assert selectors.report_queue(user=people["officer"]) == []
    refused("permission_denied", moderation.report_review, actor=people["surveyor_other"], report=report,
            decision="hide", note="Kasar")
    moderation.report_review(actor=people["surveyor"], report=report, decision="hide", note="Kata-kata kasar")
    report.refresh_from_db()
    abusive.refresh_from_db()
    assert (report.status, abusive.hidden_reason) == (ReportStatus.UPHELD, "Kata-kata kasar")
    refused("report_closed", moderation.report_review, actor=people["surveyor"], report=report, decision="dismiss")


def test_the_abuse_report_flow_dismiss(people, thread, abusive):
    report = moderation.report_create(actor=people["surveyor"], thread=thread, reason="Cek dulu isi utas ini")
    refused("decision_invalid", moderation.report_review, actor=people["admin"], report=report, decision="x")
    moderation.report_review(actor=people["admin"], report=report, decision="dismiss", note="")
    report.refresh_from_db()
    thread.refresh_from_db()
    assert (report.status, thread.hidden) == (ReportStatus.DISMISSED, False)
    # Dismissed: the same person may report it again later.
    assert moderation.report_create(actor=people["surveyor"], thread=thread, reason="Masih bermasalah").pk


def test_hiding_a_post_upholds_every_open_report_on_it(people, thread, abusive):
    from tests.conftest import _user

    neighbour = people["households"]["rw1_rt2"]
    other = _user("tetangga", "resident", household=neighbour)
    r1 = moderation.report_create(actor=other, thread=thread, reply=abusive, reason="Menghina warga")
    r2 = moderation.report_create(actor=people["admin"], thread=thread, reply=abusive, reason="Bahasa kasar")
    moderation.reply_hide(actor=people["surveyor"], reply=abusive, reason="Kata-kata kasar")
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert (r1.status, r2.status) == (ReportStatus.UPHELD, ReportStatus.UPHELD)
