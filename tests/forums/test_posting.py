"""Posting rights, content rules (no NIK/KK-like or phone numbers, lengths), rate limit, locking."""

from __future__ import annotations

import pytest

from bansos.core.errors import DomainError
from bansos.forums.services import posts
from tests.forums.conftest import forum_state, refused

TITLE = "Pertanyaan tentang bantuan"
BODY = "Bagaimana cara mendaftar pelatihan menjahit untuk ibu-ibu?"


def test_it_lets_a_resident_open_a_thread_in_his_rws_forum(people, rw_forum):
    from bansos.core.models import AuditEvent

    thread = posts.thread_create(actor=people["resident"], forum=rw_forum, title=f"  {TITLE} ", body=BODY)
    assert (thread.title, thread.body, thread.official, thread.reply_count) == (TITLE, BODY, False, 0)
    assert AuditEvent.objects.filter(action="forums.thread.create", object_id=str(thread.pk)).count() == 1


@pytest.mark.parametrize("who", ["resident_other", "officer", "officer_other", "surveyor_other", "cadre",
                                 "evaluator"])
def test_it_refuses_posting_in_an_rw_forum_outside_ones_scope(people, rw_forum, who):
    err = refused(err_code(people[who]), posts.thread_create, actor=people[who], forum=rw_forum, title=TITLE,
                  body=BODY)
    assert err.status in (403, 404)


def err_code(user) -> str:
    # A forum one may not read does not exist for that user (404); one may read but not write: 403.
    return "not_found"


@pytest.mark.parametrize("who", ["admin", "surveyor", "surveyor_rt"])
def test_it_lets_the_rws_moderators_post_official_threads(people, rw_forum, who):
    thread = posts.thread_create(actor=people[who], forum=rw_forum, title="Jadwal kerja bakti RW 01", body=BODY)
    assert thread.official is True


def test_program_forum_is_for_participating_households_and_the_programs_agency(people, program_forum):
    thread = posts.thread_create(actor=people["resident"], forum=program_forum, title=TITLE, body=BODY)
    posts.reply_create(actor=people["officer"], thread=thread, body="Silakan datang ke kantor.", official=True)
    posts.reply_create(actor=people["admin"], thread=thread, body="Benar, hari kerja.")
    for who in ("resident_other", "officer_other", "surveyor", "cadre", "evaluator"):
        refused("not_found", posts.reply_create, actor=people[who], thread=thread, body="Ikut bertanya.")
    thread.refresh_from_db()
    assert thread.reply_count == 2


def test_a_household_that_only_applied_does_not_take_part(people, program, enrol):
    from bansos.forums.services.posts import forum_for_program

    enrol(program, people["households"]["rw2"], "applied")
    forum = forum_for_program(program=program)
    refused("not_found", posts.thread_create, actor=people["resident_other"], forum=forum, title=TITLE, body=BODY)


@pytest.mark.parametrize("text", [
    "NIK saya 3173051708780001 tolong dicek",
    "KK: 3173 0512 0315 0001",
    "nomor 3173.0512.0315.0001 ya",
    "3173-0512-0315-0001",
])
def test_it_refuses_nik_or_kk_like_numbers_with_a_clear_message(people, rw_forum, text):
    from bansos.forums.content import MSG_NIK

    err = refused("validation_failed", posts.thread_create, actor=people["resident"], forum=rw_forum, title=TITLE,
                  body=text)
    assert err.errors == {"body": [str(MSG_NIK)]}
    # Staff are held to the same rule.
    refused("validation_failed", posts.thread_create, actor=people["admin"], forum=rw_forum, title=TITLE, body=text)


def test_it_refuses_nik_like_numbers_in_titles_and_replies(people, rw_forum, thread):
    refused("validation_failed", posts.thread_create, actor=people["resident"], forum=rw_forum,
            title="Cek 3173051708780001", body=BODY)
    refused("validation_failed", posts.reply_create, actor=people["surveyor"], thread=thread,
            body="NIK beliau 3173051708780001")


def test_it_refuses_residents_phone_numbers_but_lets_staff_give_a_hotline(people, rw_forum, thread):
    from bansos.forums.content import MSG_PHONE

    err = refused("validation_failed", posts.reply_create, actor=people["resident"], thread=thread,
                  body="Hubungi tetangga saya di 0812-3456-7890 saja")
    assert err.errors == {"body": [str(MSG_PHONE)]}
    reply = posts.reply_create(actor=people["surveyor"], thread=thread, body="Posko RW: 0812 3456 7890", official=True)
    assert reply.official is True


def test_ordinary_numbers_are_fine(people, thread):
    reply = posts.reply_create(actor=people["resident"], thread=thread, body="Bantuan Rp 300.000 tanggal 12/03/2026.")
    assert reply.body == "Bantuan Rp 300.000 tanggal 12/03/2026."


@pytest.mark.parametrize(("field", "title", "body"), [
    ("title", "", BODY), ("title", "abc", BODY), ("title", "x" * 151, BODY),
    ("body", TITLE, ""), ("body", TITLE, "pendek"), ("body", TITLE, "x" * 2001), ("body", TITLE, "a\x00b" * 5),
])
def test_it_refuses_bad_lengths_naming_the_field(people, rw_forum, field, title, body):
    err = refused("validation_failed", posts.thread_create, actor=people["resident"], forum=rw_forum, title=title,
                  body=body)
    assert list(err.errors) == [field]


def test_html_is_stored_as_written_and_escaped_on_the_page(people, rw_forum, client_for):
    body = "<script>alert('x')</script> <b>tebal</b> & teks biasa"
    thread = posts.thread_create(actor=people["resident"], forum=rw_forum, title="<i>Judul</i> miring", body=body)
    assert thread.body == body
    page = client_for(people["resident"]).get(f"/forum/utas/{thread.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<i>Judul</i>" not in page and "&lt;i&gt;Judul&lt;/i&gt;" in page


def test_only_moderators_may_mark_an_answer_official(people, thread):
    refused("official_not_moderator", posts.reply_create, actor=people["resident"], thread=thread,
            body="Saya jawab resmi", official=True)


def test_an_official_answer_tells_the_asker(people, thread):
    from bansos.notifications.models import Message

    posts.reply_create(actor=people["surveyor"], thread=thread, body="Posyandu buka Selasa.", official=True)
    msg = Message.objects.get(topic="forum.official_answer")
    assert (msg.user_id, msg.channel) == (people["resident"].pk, "inbox")


def test_a_locked_thread_refuses_replies_from_everyone(people, thread):
    from bansos.forums.services.moderation import thread_lock_set

    thread_lock_set(actor=people["surveyor"], thread=thread, locked=True)
    refused("thread_locked", posts.reply_create, actor=people["resident"], thread=thread, body="Masih bisa?")
    refused("thread_locked", posts.reply_create, actor=people["surveyor"], thread=thread, body="Petugas juga tidak")
    thread_lock_set(actor=people["surveyor"], thread=thread, locked=False)
    assert posts.reply_create(actor=people["resident"], thread=thread, body="Sudah dibuka lagi.").pk


def test_it_limits_a_residents_posts_per_window(people, thread, monkeypatch):
    monkeypatch.setattr(posts, "RATE_MAX", 3)
    posts.reply_create(actor=people["resident"], thread=thread, body="satu dua")
    posts.reply_create(actor=people["resident"], thread=thread, body="tiga empat")
    err = refused("rate_limited", posts.reply_create, actor=people["resident"], thread=thread, body="lima enam")
    assert "3 kali" in err.text
    # Moderators are not limited.
    for i in range(4):
        posts.reply_create(actor=people["surveyor"], thread=thread, body=f"jawaban {i}")


def test_the_rate_window_moves_on(people, thread, monkeypatch):
    import datetime as dt

    from bansos.forums.models import Reply, Thread

    monkeypatch.setattr(posts, "RATE_MAX", 2)
    posts.reply_create(actor=people["resident"], thread=thread, body="satu dua")
    past = thread.created_at - dt.timedelta(minutes=11)
    Thread.objects.update(created_at=past)
    Reply.objects.update(created_at=past)
    assert posts.reply_create(actor=people["resident"], thread=thread, body="tiga empat").pk


def test_a_resident_without_household_has_no_forum(people, rw_forum):
    user = people["resident"]
    user.household = None
    user.save()
    before = forum_state()
    with pytest.raises(DomainError):
        posts.thread_create(actor=user, forum=rw_forum, title=TITLE, body=BODY)
    assert forum_state() == before


def test_group_forums_are_for_their_members(people, cast):
    from bansos.forums.services.posts import forum_for_group

    women, youth = forum_for_group(group="women"), forum_for_group(group="youth")
    man = people["resident"]  # Budi Santoso, born 1978
    refused("not_found", posts.thread_create, actor=man, forum=women, title=TITLE, body=BODY)
    refused("not_found", posts.thread_create, actor=man, forum=youth, title=TITLE, body=BODY)
    wife = man.household.residents.get(relation="spouse")  # Siti Aminah, born 1982
    man.resident = wife
    man.save()
    assert posts.thread_create(actor=man, forum=women, title=TITLE, body=BODY).pk
    refused("not_found", posts.thread_create, actor=man, forum=youth, title=TITLE, body=BODY)
    assert posts.thread_create(actor=people["admin"], forum=youth, title="Lomba karya pemuda", body=BODY).official
    refused("not_found", posts.thread_create, actor=people["surveyor"], forum=youth, title=TITLE, body=BODY)
