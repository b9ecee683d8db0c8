"""Pages and API: forms work without JS, hidden posts stay out of residents' pages and answers, ratings pages."""

from __future__ import annotations

import json

from bansos.forums.models import Reply, Thread
from bansos.forums.services import moderation, posts


def test_a_resident_opens_a_thread_through_the_page(people, rw_forum, client_for):
    client = client_for(people["resident"])
    page = client.get(f"/forum/{rw_forum.pk}/")
    assert page.status_code == 200
    bad = client.post(f"/forum/{rw_forum.pk}/", {"title": "Cek data", "body": "NIK 3173051708780001 benar?"})
    assert bad.status_code == 400 and "Jangan menulis NIK" in bad.content.decode()
    assert Thread.objects.count() == 0
    ok = client.post(f"/forum/{rw_forum.pk}/", {"title": "Jadwal posyandu", "body": "Kapan posyandu buka lagi?"})
    thread = Thread.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/forum/utas/{thread.pk}/"


def test_reply_without_js_redirects_and_with_htmx_returns_the_block(people, thread, client_for):
    client = client_for(people["resident"])
    plain = client.post(f"/forum/utas/{thread.pk}/balas/", {"body": "Terima kasih."})
    reply = Reply.objects.get()
    assert plain.status_code == 302 and plain["Location"] == f"/forum/utas/{thread.pk}/#balasan-{reply.pk}"
    htmx = client.post(f"/forum/utas/{thread.pk}/balas/", {"body": "Satu lagi."}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and 'id="replies"' in htmx.content.decode() and "Satu lagi." in htmx.content.decode()


def test_hidden_replies_stay_out_of_the_residents_page_and_api(people, thread, client_for):
    reply = posts.reply_create(actor=people["resident"], thread=thread, body="Kata-kata kasar sekali")
    moderation.reply_hide(actor=people["surveyor"], reply=reply, reason="Kata-kata kasar")
    resident, surveyor = client_for(people["resident"]), client_for(people["surveyor"])
    assert "Kata-kata kasar sekali" not in resident.get(f"/forum/utas/{thread.pk}/").content.decode()
    assert "Kata-kata kasar sekali" in surveyor.get(f"/forum/utas/{thread.pk}/").content.decode()
    assert resident.get(f"/api/forums/threads/{thread.pk}").json()["replies"] == []
    assert [r["hidden"] for r in surveyor.get(f"/api/forums/threads/{thread.pk}").json()["replies"]] == [True]


def test_the_api_refuses_nik_like_numbers_with_the_field(people, rw_forum, client_for):
    client = client_for(people["resident"])
    answer = client.post(f"/api/forums/{rw_forum.pk}/threads", json.dumps(
        {"title": "Data saya", "body": "KK 3173.0512.0315.0001 sudah benar?"}), content_type="application/json")
    assert answer.status_code == 422 and list(answer.json()["errors"]) == ["body"]
    assert Thread.objects.count() == 0


def test_the_api_report_and_review_flow(people, thread, client_for):
    admin = client_for(people["admin"])
    report = admin.post(f"/api/forums/threads/{thread.pk}/reports", json.dumps({"reason": "Isi utas menyesatkan"}),
                        content_type="application/json")
    assert report.status_code == 201
    rid = report.json()["id"]
    other = client_for(people["surveyor_other"])
    assert other.post(f"/api/forums/reports/{rid}/review", json.dumps({"decision": "hide", "note": "Menyesatkan"}),
                      content_type="application/json").status_code == 404
    done = client_for(people["surveyor"]).post(f"/api/forums/reports/{rid}/review", json.dumps(
        {"decision": "hide", "note": "Menyesatkan"}), content_type="application/json")
    assert (done.status_code, done.json()["status"]) == (200, "upheld")
    thread.refresh_from_db()
    assert thread.hidden_reason == "Menyesatkan"


def test_the_rating_pages(people, attended, client_for):
    client = client_for(people["resident"])
    session = attended["sessions"][0]
    listing = client.get("/forum/penilaian/").content.decode()
    assert f"/forum/penilaian/pertemuan/{session.pk}/" in listing
    assert client.post(f"/forum/penilaian/pertemuan/{session.pk}/", {"rating": "5", "comment": "Bagus"}).status_code == 302
    assert client_for(people["resident_other"]).get(f"/forum/penilaian/pertemuan/{session.pk}/").status_code == 404
    program = attended["program"]
    assert client.post(f"/forum/penilaian/program/{program.pk}/", {"rating": "4"}).status_code == 302
    summary = client_for(people["officer"]).get(f"/api/forums/ratings/programs/{program.pk}").json()
    assert (summary["count"], summary["avg"]) == (1, 4.0)
    assert client_for(people["officer_other"]).get(f"/forum/umpan-balik/{program.pk}/").status_code == 403


def test_the_portal_section_lists_recent_threads_and_sessions_to_rate(people, attended, thread):
    from bansos.forums.hooks import portal_section

    data = portal_section(user=people["resident"], household=people["households"]["rw1"])
    assert [t.pk for t in data["threads"]] == [thread.pk]
    assert data["sessions"] == [attended["sessions"][0]]
