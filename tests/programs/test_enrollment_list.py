"""The enrollment list of a program: who may see it, filters, search, counts, masking, queries."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from bansos.programs.models import Enrollment, EnrollmentState
from bansos.programs.services import enrollment as svc


@pytest.fixture
def program(make_program):
    return make_program(budget=10_000_000)


@pytest.fixture
def enrolled(cast, program):
    """Budi (RW 1) verified, Sri (RW 1, RT 2) applied, Joko (RW 2) applied."""
    officer, hh = cast["officer"], cast["households"]
    rows = {key: svc.enrollment_apply(actor=officer, program=program, household=hh[key])
            for key in ("rw1", "rw1_rt2", "rw2")}
    svc.enrollment_verify(actor=officer, enrollment=rows["rw1"], note="Dikunjungi 3 Maret")
    return rows


def _url(program, **params):
    url = reverse("programs:enrollment_list", args=[program.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.mark.parametrize("who", ["admin", "officer"])
def test_it_lists_the_participants_for_managers_of_the_program(who, cast, client_for, program, enrolled):
    response = client_for(cast[who]).get(_url(program))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("BUDI SANTOSO", "SRI WAHYUNI", "JOKO SUSILO"):
        assert name in html
    assert "001/001" in html and "002/001" in html and "001/002" in html  # RT/RW of each row
    assert "Terverifikasi" in html and "Didaftarkan petugas" in html
    assert reverse("programs:enrollment_detail", args=[enrolled["rw1"].pk]) in html


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_the_list_to_everyone_else(who, cast, client_for, program, enrolled):
    response = client_for(cast[who]).get(_url(program))
    assert response.status_code == 403
    assert "BUDI SANTOSO" not in response.content.decode()


def test_it_sends_anonymous_visitors_to_the_login_page(client_for, program):
    response = client_for(None).get(_url(program))
    assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_it_answers_404_for_a_missing_program(cast, client_for, db):
    response = client_for(cast["admin"]).get(reverse("programs:enrollment_list", args=[999999]))
    assert response.status_code == 404


def test_it_counts_each_state_in_the_tabs_and_filters_by_state(cast, client_for, program, enrolled):
    client = client_for(cast["officer"])
    html = client.get(_url(program)).content.decode()
    assert 'Semua <b>3</b>' in html
    assert 'Mendaftar <b>2</b>' in html
    assert 'Terverifikasi <b>1</b>' in html
    assert 'Ditolak <b>0</b>' in html
    filtered = client.get(_url(program, state="applied")).content.decode()
    assert "SRI WAHYUNI" in filtered and "JOKO SUSILO" in filtered
    assert "BUDI SANTOSO" not in filtered


@pytest.mark.parametrize("text_of", [
    lambda hh: "sri wah",  # the start of a member's name
    lambda hh: hh.kk_number,  # the whole KK number
    lambda hh: hh.head.nik[:12],  # the start of a member's NIK
    lambda hh: hh.head.nik,  # a member's NIK
])
def test_it_searches_by_name_nik_or_kk_among_the_participants(text_of, cast, client_for, program, enrolled):
    sri = cast["households"]["rw1_rt2"]
    sri = type(sri).objects.prefetch_related("residents").get(pk=sri.pk)
    text = text_of(sri)
    html = client_for(cast["officer"]).get(_url(program, q=text)).content.decode()
    assert "SRI WAHYUNI" in html
    assert "JOKO SUSILO" not in html


def test_it_searches_only_this_programs_participants(cast, client_for, make_program, program, enrolled):
    other = make_program(name="Program lain", budget=1_000_000)
    html = client_for(cast["officer"]).get(_url(other, q="sri")).content.decode()
    assert "SRI WAHYUNI" not in html
    assert "Tidak ada peserta yang cocok" in html


def test_it_masks_the_nik_for_officers_and_shows_it_to_the_admin(cast, client_for, program, enrolled):
    budi = cast["households"]["rw1"].residents.get(relation="head")
    masked = budi.nik[:6] + "*" * 6 + budi.nik[12:]
    officer_html = client_for(cast["officer"]).get(_url(program)).content.decode()
    assert masked in officer_html and budi.nik not in officer_html
    admin_html = client_for(cast["admin"]).get(_url(program)).content.decode()
    assert budi.nik in admin_html


def test_it_shows_the_welfare_decile_when_scored(cast, client_for, program, enrolled):
    from django.utils import timezone

    from bansos.welfare.models import HouseholdWelfare, WelfareModel

    model = WelfareModel.objects.order_by("pk").first() or WelfareModel.objects.create(
        version=1, name="Uji", status="published", base_amount=1)
    HouseholdWelfare.objects.create(household=cast["households"]["rw2"], model=model, per_capita=500_000,
                                    score=13.1, decile=2, rank=5, computed_at=timezone.now())
    html = client_for(cast["officer"]).get(_url(program, q="joko")).content.decode()
    assert '<div class="cell">2</div>' in html
    html = client_for(cast["officer"]).get(_url(program, q="sri")).content.decode()
    assert "belum dinilai" in html


def test_it_shows_the_resident_participant_of_a_person_program(cast, client_for, make_program):
    program = make_program(name="Pelatihan menjahit", kind="training", participant="resident", budget=1_000_000)
    hh = cast["households"]["rw1"]
    spouse = hh.residents.get(relation="spouse")
    svc.enrollment_apply(actor=cast["officer"], program=program, household=hh, resident=spouse)
    html = client_for(cast["officer"]).get(_url(program)).content.decode()
    assert "SITI AMINAH" in html


def test_it_pages_the_list_with_a_bounded_number_of_queries(cast, client_for, program, django_assert_max_num_queries):
    from tests.factories import make_household

    for i in range(30):
        hh = make_household(actor=cast["admin"], rt=cast["households"]["rw1"].rt, head_name="Warga " + "ABCDEFGHIJKLMNOPQRSTUVWXYZABCD"[i] * 3)
        svc.enrollment_apply(actor=cast["officer"], program=program, household=hh)
    client = client_for(cast["officer"])
    client.get(_url(program))  # warm up the session and caches
    with django_assert_max_num_queries(12):
        response = client.get(_url(program))
    html = response.content.decode()
    assert "Halaman 1 dari 2" in html
    assert Enrollment.objects.filter(program=program, state=EnrollmentState.APPLIED).count() == 30
    second = client.get(_url(program, page=2)).content.decode()
    assert "Halaman 2 dari 2" in second
