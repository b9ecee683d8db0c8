"""API-wide guards: NUL characters refused before any operation runs; unknown API URLs answer JSON."""

import json

import pytest


@pytest.fixture
def admin_client(cast, client_for):
    return client_for(cast["admin"])


def _meeting_body(areas, title):
    return {"title": title, "date": "2026-01-15", "status": "planned", "rw": areas["rw1"].number}


def test_a_nul_in_a_json_body_is_refused_and_nothing_is_stored(cast, areas, admin_client):
    from bansos.meetings.models import Meeting

    response = admin_client.post("/api/meetings", _meeting_body(areas, "Musyawarah\x00RW"),
                                 content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert "NUL" in response.json()["message"]
    assert Meeting.objects.count() == 0


def test_a_nul_in_a_key_or_a_nested_list_is_refused_too(cast, areas, admin_client):
    body = json.dumps({"title": "Musyawarah", "rw": areas["rw1"].number, "x": [{"a\x00": 1}]})
    response = admin_client.post("/api/meetings", body, content_type="application/json")
    assert response.status_code == 422


def test_a_nul_in_the_query_string_is_refused(cast, admin_client):
    assert admin_client.get("/api/programs?q=a%00b").status_code == 422
    assert admin_client.get("/api/programs?q=ab").status_code == 200


def test_a_nul_in_a_form_body_is_refused(cast, admin_client):
    response = admin_client.post("/api/meetings", "title=a%00b", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422


def test_a_backslash_u0000_text_is_not_a_nul(cast, areas, admin_client):
    """JSON "\\\\u0000" is a backslash followed by u0000: ordinary text, not refused by the guard."""
    from bansos.meetings.models import Meeting

    body = json.dumps(_meeting_body(areas, "Kode \\u0000 di papan"))
    assert "\\\\u0000" in body
    response = admin_client.post("/api/meetings", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Meeting.objects.get().title == "Kode \\u0000 di papan"


def test_pages_are_not_touched_by_the_api_guard(cast, admin_client):
    response = admin_client.get("/registri/?q=a%00b")
    assert response.status_code == 200


def test_an_unknown_api_url_answers_json_404(cast, admin_client):
    response = admin_client.get("/api/programs/-1")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_an_unknown_page_still_answers_the_html_404(cast, admin_client):
    response = admin_client.get("/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
