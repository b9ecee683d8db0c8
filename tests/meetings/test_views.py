import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bansos.meetings import services
from bansos.meetings.models import Attendance, Meeting
from tests.meetings.helpers import held_meeting, members, state


@pytest.fixture
def meeting(cast, areas):
    admin = cast["admin"]
    m = held_meeting(actor=admin, rw=areas["rw1"], title="Musyawarah RW 01 Agustus")
    people = members(cast["households"]["rw1"])
    for first in ("Budi", "Siti"):
        services.attendance_add(actor=admin, meeting=m, resident=people[first])
    services.meeting_others_set(actor=admin, meeting=m, count=2, women=2, youth=None)
    services.need_create(actor=admin, meeting=m, data={"category": "housing", "description": "Normalisasi saluran",
                                                         "hand_votes": 14})
    return m


def test_evaluator_sees_the_needs_page_without_names_or_nik(meeting, cast, client_for):
    response = client_for(cast["evaluator"]).get("/musyawarah/kebutuhan-warga/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Normalisasi saluran" in html
    assert "75%" in html  # women: Budi, Siti + 2 of 2 others = 3 of 4
    for household in cast["households"].values():
        for resident in household.residents.all():
            assert resident.full_name not in html
            assert resident.nik not in html
            assert resident.nik[:6] + "******" not in html


def test_needs_page_refuses_residents(cast, client_for):
    assert client_for(cast["resident"]).get("/musyawarah/kebutuhan-warga/").status_code == 403


def test_needs_page_runs_a_bounded_number_of_queries(meeting, cast, areas, client_for):
    client = client_for(cast["evaluator"])
    with CaptureQueriesContext(connection) as few:
        assert client.get("/musyawarah/kebutuhan-warga/").status_code == 200
    for day in (1, 2, 3):
        m = held_meeting(actor=cast["admin"], rw=areas["rw2"], date=dt.date(2025, 9, day))
        services.need_create(actor=cast["admin"], meeting=m,
                             data={"category": "health", "description": "Cek kesehatan", "hand_votes": day})
    with CaptureQueriesContext(connection) as more:
        assert client.get("/musyawarah/kebutuhan-warga/").status_code == 200
    assert len(more) == len(few)


def test_per_rw_needs_page(meeting, cast, client_for):
    response = client_for(cast["cadre"]).get("/musyawarah/kebutuhan-warga/rw/1/")
    assert response.status_code == 200
    assert "Normalisasi saluran" in response.content.decode()
    assert client_for(cast["cadre"]).get("/musyawarah/kebutuhan-warga/rw/99/").status_code == 404


def test_meeting_page_lists_names_only_to_users_who_may_see_the_households(meeting, cast, client_for):
    url = f"/musyawarah/{meeting.pk}/"
    admin_html = client_for(cast["admin"]).get(url).content.decode()
    assert "BUDI SANTOSO" in admin_html and "SITI AMINAH" in admin_html
    evaluator = client_for(cast["evaluator"]).get(url)
    assert evaluator.status_code == 200
    html = evaluator.content.decode()
    assert "BUDI SANTOSO" not in html and "SITI AMINAH" not in html
    assert "2 warga terdaftar lain hadir" in html


def test_a_surveyor_of_another_rw_cannot_open_an_rw_meeting(meeting, cast, client_for):
    # Surveyors read their own RW's meetings and kelurahan-wide ones only.
    assert client_for(cast["surveyor_other"]).get(f"/musyawarah/{meeting.pk}/").status_code == 404


def test_it_creates_a_meeting_from_the_form(cast, areas, client_for):
    response = client_for(cast["surveyor"]).post("/musyawarah/baru/", {
        "date": "2025-08-20", "rw": areas["rw1"].pk, "title": "Rembuk warga", "place": "Pos RW", "held": "on"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/musyawarah/{meeting.pk}/"
    assert (meeting.status, meeting.rw, meeting.created_by) == ("held", areas["rw1"], cast["surveyor"])


def test_the_form_shows_an_error_next_to_the_field_and_changes_nothing(cast, areas, client_for):
    before = state()
    response = client_for(cast["admin"]).post("/musyawarah/baru/", {"date": "", "rw": areas["rw1"].pk, "title": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("field-error") == 2
    assert state() == before


def test_a_surveyor_cannot_choose_another_rw_in_the_form(cast, areas, client_for):
    before = state()
    response = client_for(cast["surveyor_other"]).post("/musyawarah/baru/", {
        "date": "2025-08-20", "rw": areas["rw1"].pk, "title": "Rembuk"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert state() == before


def test_others_form_errors_show_on_the_meeting_page(meeting, cast, client_for):
    before = state()
    response = client_for(cast["surveyor"]).post(f"/musyawarah/{meeting.pk}/peserta-lain/",
                                                 {"others_count": "1", "others_women": "3"})
    assert response.status_code == 422
    assert "Tidak boleh lebih dari jumlah peserta lain." in response.content.decode()
    assert state() == before


def test_attendance_search_and_add_through_the_page(meeting, cast, client_for):
    client = client_for(cast["surveyor"])
    response = client.get(f"/musyawarah/{meeting.pk}/cari-warga/", {"q": "andi"}, HTTP_HX_REQUEST="true")
    assert "ANDI PRATAMA" in response.content.decode()
    andi = members(cast["households"]["rw1"])["Andi"]
    response = client.post(f"/musyawarah/{meeting.pk}/hadir/", {"resident": andi.pk})
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, resident=andi).exists()


def test_a_surveyor_of_another_rw_cannot_add_attendance(meeting, cast, client_for):
    joko = members(cast["households"]["rw2"])["Joko"]
    before = state()
    response = client_for(cast["surveyor_other"]).post(f"/musyawarah/{meeting.pk}/hadir/", {"resident": joko.pk})
    assert response.status_code == 404
    assert state() == before


def test_household_page_shows_meeting_participation(meeting, cast, client_for):
    household = cast["households"]["rw1"]
    html = client_for(cast["resident"]).get(f"/registri/keluarga/{household.pk}/").content.decode()
    assert "Partisipasi musyawarah" in html
    assert "Musyawarah RW 01 Agustus" in html
    other = client_for(cast["admin"]).get(f"/registri/keluarga/{cast['households']['rw2'].pk}/").content.decode()
    assert "Belum ada anggota keluarga yang tercatat hadir" in other
