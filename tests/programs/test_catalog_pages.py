"""The catalog and the program page: who sees them, what they show, filters and paging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.html import escape
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bansos.programs.models import Enrollment
from bansos.programs.services.enrollment import enrollment_apply, enrollment_transition
from tests.programs.catalog_helpers import HEADS, NOT_STAFF, STAFF, families

URL = "/program/"


@pytest.fixture
def two_programs(make_program):
    blt = make_program("dinsos", budget=3_000_000, name="BLT Lansia Dinsos", kind="cash",
                       target_groups=["elderly"], description="Bantuan tunai untuk lansia.")
    sewing = make_program("lsm", status="draft", name="Pelatihan Menjahit", kind="training",
                          participant="resident", benefit_kind="course", benefit_amount=0,
                          benefit_description="Kursus menjahit 12 kali", target_groups=["female_head", "youth"],
                          capacity=20)
    return blt, sewing


@pytest.mark.parametrize("who", STAFF)
def test_every_staff_role_sees_the_catalog_of_every_agency(who, cast, two_programs, client_for):
    response = client_for(cast[who]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "BLT Lansia Dinsos" in html and "Pelatihan Menjahit" in html
    assert "Suku Dinas Sosial Jakarta Barat" in html and "Yayasan Peduli Duri Kepa" in html
    assert "0 / 20" in html  # places used / capacity
    assert "Kursus menjahit 12 kali" in html
    assert '<span class="nowrap">1 Januari 2026</span> – <span class="nowrap">31 Desember 2026</span>' in html
    assert "Pelatihan keterampilan" in html  # the kind, under the name


@pytest.mark.parametrize("who", NOT_STAFF)
def test_residents_cannot_open_the_catalog_or_a_program_page(who, cast, two_programs, client_for):
    client = client_for(cast[who])
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{two_programs[0].pk}/").status_code == 403


def test_anonymous_is_sent_to_sign_in(two_programs, client_for):
    response = client_for(None).get(URL)
    assert response.status_code == 302 and "/akun/" in response["Location"]


def test_the_nav_links_the_catalog_for_program_viewers_only(cast, client_for):
    assert 'href="/program/"' in client_for(cast["evaluator"]).get("/").content.decode()
    assert 'href="/program/"' not in client_for(cast["resident"]).get("/").content.decode()


def test_new_program_button_only_for_program_managers(cast, two_programs, client_for):
    assert "/program/baru/" in client_for(cast["officer"]).get(URL).content.decode()
    assert "/program/baru/" in client_for(cast["admin"]).get(URL).content.decode()
    for who in ("surveyor", "cadre", "evaluator"):
        assert "/program/baru/" not in client_for(cast[who]).get(URL).content.decode()


def test_funding_and_policy_links_only_for_the_admin(cast, two_programs, client_for):
    admin_html = client_for(cast["admin"]).get(URL).content.decode()
    assert "/program/dana/" in admin_html and "/program/kebijakan-tumpang-tindih/" in admin_html
    officer_html = client_for(cast["officer"]).get(URL).content.decode()
    assert "/program/dana/" not in officer_html and "/program/kebijakan-tumpang-tindih/" not in officer_html


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ({"kind": "training"}, "Pelatihan Menjahit", "BLT Lansia Dinsos"),
    ({"status": "open"}, "BLT Lansia Dinsos", "Pelatihan Menjahit"),
    ({"status": "draft"}, "Pelatihan Menjahit", "BLT Lansia Dinsos"),
    ({"target": "youth"}, "Pelatihan Menjahit", "BLT Lansia Dinsos"),
    ({"target": "elderly"}, "BLT Lansia Dinsos", "Pelatihan Menjahit"),
    ({"q": "menjahit"}, "Pelatihan Menjahit", "BLT Lansia Dinsos"),
    ({"q": "lansia"}, "BLT Lansia Dinsos", "Pelatihan Menjahit"),
    ({"q": "yayasan"}, "Pelatihan Menjahit", "BLT Lansia Dinsos"),
])
def test_it_filters_the_catalog(query, shown, hidden, cast, two_programs, client_for):
    html = client_for(cast["evaluator"]).get(URL, query).content.decode()
    assert shown in html and hidden not in html
    assert "1 program" in html


def test_it_filters_by_agency(cast, agencies, two_programs, client_for):
    html = client_for(cast["surveyor"]).get(URL, {"agency": agencies["lsm"].pk}).content.decode()
    assert "Pelatihan Menjahit" in html and "BLT Lansia Dinsos" not in html


def test_a_target_group_filter_matches_the_whole_code_only(cast, make_program, client_for):
    make_program(name="Program Anak", target_groups=["children"])
    html = client_for(cast["admin"]).get(URL, {"target": "youth"}).content.decode()
    assert "Program Anak" not in html
    assert "Tidak ada program yang cocok" in html


def test_a_stale_filter_value_is_ignored(cast, two_programs, client_for):
    response = client_for(cast["admin"]).get(URL, {"kind": "nope", "agency": "x"})
    assert response.status_code == 200
    assert "2 program" in response.content.decode()


def test_open_programs_come_before_drafts(cast, two_programs, client_for):
    html = client_for(cast["admin"]).get(URL).content.decode()
    assert html.index("BLT Lansia Dinsos") < html.index("Pelatihan Menjahit")


def test_the_catalog_is_paginated_and_keeps_its_filters(cast, make_program, client_for):
    for i in range(23):
        make_program(name=f"Program Tunai {i:02d}", status="draft")
    client = client_for(cast["admin"])
    first = client.get(URL, {"status": "draft"}).content.decode()
    assert "Halaman 1 dari 2" in first
    assert "status=draft&amp;page=2" in first
    second = client.get(URL, {"status": "draft", "page": 2}).content.decode()
    assert "Program Tunai 22" in second and "Program Tunai 00" not in second


def test_the_catalog_runs_a_fixed_number_of_queries(cast, make_program, client_for):
    make_program(name="Satu")
    client = client_for(cast["admin"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for i in range(6):
        make_program("lsm" if i % 2 else "dinsos", name=f"Lagi {i}")
    with CaptureQueriesContext(connection) as more:
        assert client.get(URL).status_code == 200
    assert len(more) == len(few)


# --- Program page ----------------------------------------------------------------------------


def test_the_program_page_shows_the_public_fields(cast, two_programs, client_for):
    blt, sewing = two_programs
    html = client_for(cast["cadre"]).get(f"{URL}{sewing.pk}/").content.decode()
    for text in ("Pelatihan Menjahit", "Perempuan kepala keluarga", "Pemuda", "Kursus menjahit 12 kali",
                 "Perorangan", "1 Januari 2026 – 31 Desember 2026", "Yayasan Peduli Duri Kepa", "LSM", "Draf",
                 "20 peserta"):
        assert text in html, text


def test_an_unknown_program_is_404(cast, client_for):
    assert client_for(cast["admin"]).get(f"{URL}999999/").status_code == 404


@pytest.mark.parametrize("who", ("surveyor", "cadre", "evaluator", "officer_other"))
def test_viewers_without_the_right_get_no_manager_controls(who, cast, two_programs, client_for):
    blt, _sewing = two_programs
    html = client_for(cast[who]).get(f"{URL}{blt.pk}/").content.decode()
    assert "Rp 3.000.000" in html  # the budget is not personal data: everyone sees it
    assert f"/program/{blt.pk}/ubah/" not in html
    assert f"/program/{blt.pk}/status/" not in html
    assert f"/program/{blt.pk}/alokasi/" not in html


@pytest.mark.parametrize("who", ("admin", "officer"))
def test_managers_of_the_program_get_edit_status_and_allocation(who, cast, two_programs, client_for):
    blt, _sewing = two_programs
    html = client_for(cast[who]).get(f"{URL}{blt.pk}/").content.decode()
    assert f"/program/{blt.pk}/ubah/" in html
    assert f"/program/{blt.pk}/status/" in html
    assert "Mulai berjalan" in html and "Tutup program" in html and "Kembalikan ke draf" in html
    assert "Buka pendaftaran" not in html  # already open
    assert f"/program/{blt.pk}/alokasi/" in html


def test_the_budget_card_shows_the_figures(cast, make_program, client_for, areas):
    program = make_program(budget=2_000_000, capacity=5)  # Rp 900.000 per participant
    family = families(cast, areas, 1)[0]
    enrollment = enrollment_apply(actor=cast["admin"], program=program, household=family)
    enrollment_transition(actor=cast["admin"], enrollment=enrollment, to="verified", reason="dikunjungi")
    enrollment_transition(actor=cast["admin"], enrollment=enrollment, to="approved")
    html = client_for(cast["evaluator"]).get(f"{URL}{program.pk}/").content.decode()
    assert "Rp 2.000.000" in html  # allocated
    assert "Rp 900.000" in html  # committed
    assert "Rp 1.100.000" in html  # remaining
    assert "1 dari 5 terisi (sisa 4)" in html
    assert "Rp 300.000 × 3 periode = Rp 900.000" in html
    assert "cukup untuk 1 peserta lagi" in html
    assert "Dengan laju komitmen saat ini, anggaran habis pada" in html
    assert "Cara menghitung" in html


def test_enrollment_counts_per_state_are_shown_to_every_viewer(cast, make_program, client_for, areas):
    program = make_program(budget=2_000_000)
    for family in families(cast, areas, 3):
        enrollment_apply(actor=cast["admin"], program=program, household=family)
    first = Enrollment.objects.filter(program=program).first()
    enrollment_transition(actor=cast["admin"], enrollment=first, to="rejected", reason="tidak memenuhi syarat")
    html = client_for(cast["evaluator"]).get(f"{URL}{program.pk}/").content.decode()
    assert "<b>2</b> <span>Mendaftar</span>" in html
    assert "<b>1</b> <span>Ditolak</span>" in html
    assert "3 pendaftaran seluruhnya" in html
    for name in HEADS[:3]:
        assert name.upper() not in html and name not in html  # counts only, never names
    assert f"/program/{program.pk}/peserta/" not in html  # the list is for the program's own staff


def test_counts_link_to_the_enrollment_list_for_the_programs_staff(cast, make_program, client_for):
    program = make_program()
    html = client_for(cast["officer"]).get(f"{URL}{program.pk}/").content.decode()
    assert f"/program/{program.pk}/peserta/?state=applied" in html
    other = client_for(cast["officer_other"]).get(f"{URL}{program.pk}/").content.decode()
    assert f"/program/{program.pk}/peserta/" not in other


def test_the_rule_is_described_and_linked_for_those_who_may_read_it(cast, make_program, client_for):
    from bansos.eligibility.services import rule_create

    from bansos.eligibility.engine import describe

    expression = {"all": [{"p": "has_under_five", "op": "is", "value": True},
                          {"p": "monthly_income", "op": "lte", "value": 3_000_000}]}
    rule = rule_create(actor=cast["officer"], name="BLT Dinsos", expression=expression)
    program = make_program(rule=rule)
    officer_html = client_for(cast["officer"]).get(f"{URL}{program.pk}/").content.decode()
    assert f"/kelayakan/aturan/{rule.pk}/" in officer_html
    assert escape(describe(expression)) in officer_html
    assert escape(describe(expression)).startswith("Ada balita DAN ")
    evaluator_html = client_for(cast["evaluator"]).get(f"{URL}{program.pk}/").content.decode()
    assert "BLT Dinsos" in evaluator_html
    assert f"/kelayakan/aturan/{rule.pk}/" not in evaluator_html  # evaluators cannot open rules
    other_html = client_for(cast["officer_other"]).get(f"{URL}{program.pk}/").content.decode()
    assert f"/kelayakan/aturan/{rule.pk}/" not in other_html  # another agency's rule


def test_the_allocations_list_says_source_amount_who_and_when(cast, make_program, source, client_for):
    program = make_program(budget=1_500_000)
    html = client_for(cast["surveyor"]).get(f"{URL}{program.pk}/").content.decode()
    assert "CSR Bank Contoh (2026)" in html
    assert "Rp 1.500.000" in html
    assert "Admin" in html  # who allocated
    today = dt.date.today()
    assert str(today.year) in html


def test_the_program_page_runs_a_fixed_number_of_queries(cast, areas, make_program, source, client_for):
    from bansos.programs.services.funding import funding_allocate

    program = make_program(budget=5_000_000)
    client = client_for(cast["officer"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{URL}{program.pk}/").status_code == 200
    for _ in range(3):
        funding_allocate(actor=cast["admin"], source=source, program=program, amount=1_000_000)
    for family in families(cast, areas, 3):
        enrollment_apply(actor=cast["admin"], program=program, household=family)
    with CaptureQueriesContext(connection) as more:
        assert client.get(f"{URL}{program.pk}/").status_code == 200
    assert len(more) == len(few)
