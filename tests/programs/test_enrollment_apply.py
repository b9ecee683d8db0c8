"""Applying one household: exact KK/NIK look-up, rule explanation, clear refusals, permissions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansos.core.models import AuditEvent
from bansos.programs.models import Channel, Enrollment, EnrollmentState
from bansos.programs.services import enrollment as svc


def _url(program, q=None):
    url = reverse("programs:enrollment_apply", args=[program.pk])
    return f"{url}?q={q}" if q is not None else url


@pytest.fixture
def program(make_program):
    return make_program(budget=10_000_000)


@pytest.fixture
def budi(cast):
    hh = cast["households"]["rw1"]
    return type(hh).objects.prefetch_related("residents").get(pk=hh.pk)


def test_it_finds_a_household_by_its_exact_kk_and_masks_the_members_nik(cast, client_for, program, budi):
    response = client_for(cast["officer"]).get(_url(program, budi.kk_number))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Keluarga ditemukan" in html
    for member in budi.residents.all():
        assert member.full_name in html
        assert member.nik not in html
        assert member.nik[:6] + "******" + member.nik[12:] in html
    assert "Daftarkan" in html and f'name="q" value="{budi.kk_number}"' in html


def test_it_finds_a_household_by_a_members_nik_typed_with_spaces(cast, client_for, program, budi):
    spouse = budi.residents.get(relation="spouse")
    spaced = " ".join(spouse.nik[i:i + 4] for i in range(0, 16, 4))
    html = client_for(cast["officer"]).get(_url(program, spaced)).content.decode()
    assert "Keluarga ditemukan" in html and "NIK anggota keluarga" in html
    assert budi.kk_number in html


@pytest.mark.parametrize("text", ["3173", "BUDI", "31730502031500"])
def test_it_does_not_search_by_prefix_or_name(text, cast, client_for, program, budi):
    response = client_for(cast["officer"]).get(_url(program, text))
    html = response.content.decode()
    assert response.status_code == 422
    assert "16 angka" in html
    assert "BUDI SANTOSO" not in html


def test_it_says_clearly_when_nothing_is_found(cast, client_for, program):
    html = client_for(cast["officer"]).get(_url(program, "3173050101990001")).content.decode()
    assert "Tidak ada keluarga dengan nomor KK atau NIK ini" in html
    assert "Keluarga ditemukan" not in html


def test_it_says_clearly_when_the_household_is_inactive(cast, client_for, program, budi):
    from bansos.registry.models import Household

    Household.objects.filter(pk=budi.pk).update(status="moved")
    html = client_for(cast["officer"]).get(_url(program, budi.kk_number)).content.decode()
    assert "tidak aktif di registri" in html
    assert 'value="Daftarkan"' not in html and ">Daftarkan</button>" not in html


def test_it_says_clearly_when_the_household_is_already_enrolled(cast, client_for, program, budi):
    existing = svc.enrollment_apply(actor=cast["officer"], program=program, household=budi)
    html = client_for(cast["officer"]).get(_url(program, budi.kk_number)).content.decode()
    assert "sudah terdaftar di program ini" in html
    assert reverse("programs:enrollment_detail", args=[existing.pk]) in html
    assert ">Daftarkan</button>" not in html


def test_it_explains_the_programs_rule_predicate_by_predicate(cast, client_for, make_program, budi):
    from bansos.eligibility.services import rule_create

    rule = rule_create(actor=cast["officer"], name="BLT balita", expression={"all": [
        {"p": "has_under_five", "op": "is", "value": True},
        {"p": "monthly_income", "op": "lte", "value": 1_000_000}]})
    program = make_program(name="BLT Balita", budget=1_000_000, rule=rule)
    html = client_for(cast["officer"]).get(_url(program, budi.kk_number)).content.decode()
    assert "Aturan kelayakan program" in html and "BLT balita" in html
    assert "Keluarga ini tidak memenuhi aturan program." in html  # income 2.500.000 is above the limit
    assert html.count("explain-row met") == 1 and html.count("explain-row unmet") == 1


def test_it_applies_a_household_and_records_the_channel_and_audit(cast, client_for, program, budi):
    client = client_for(cast["officer"])
    response = client.post(_url(program), {"q": budi.kk_number, "household": budi.pk, "note": "Datang ke kantor"})
    enrollment = Enrollment.objects.get(program=program, household=budi)
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:enrollment_detail", args=[enrollment.pk])
    assert (enrollment.state, enrollment.channel, enrollment.resident_id) == (
        EnrollmentState.APPLIED, Channel.STAFF, None)
    event = AuditEvent.objects.get(action="enrollment.apply", object_id=str(enrollment.pk))
    assert (event.actor, event.household_id, event.reason) == (cast["officer"], budi.pk, "Datang ke kantor")


def test_it_applies_the_chosen_member_of_a_person_program(cast, client_for, make_program, budi):
    program = make_program(name="Pelatihan menjahit", kind="training", participant="resident", budget=1_000_000)
    spouse = budi.residents.get(relation="spouse")
    client = client_for(cast["officer"])
    page = client.get(_url(program, budi.kk_number)).content.decode()
    assert f'value="{spouse.pk}"' in page
    refused = client.post(_url(program), {"q": budi.kk_number, "household": budi.pk})
    assert refused.status_code == 422
    assert "Pilih anggota keluarga yang menjadi peserta." in refused.content.decode()
    assert not Enrollment.objects.filter(program=program).exists()
    client.post(_url(program), {"q": budi.kk_number, "household": budi.pk, "resident": spouse.pk})
    assert Enrollment.objects.get(program=program).resident == spouse
    # The enrolled member is no longer offered; the others are.
    again = client.get(_url(program, budi.kk_number)).content.decode()
    assert f'value="{spouse.pk}"' not in again and "sudah terdaftar" in again


def test_it_refuses_a_member_of_another_household(cast, client_for, make_program, budi):
    program = make_program(name="Pelatihan", kind="training", participant="resident", budget=1_000_000)
    stranger = cast["households"]["rw2"].residents.first()
    response = client_for(cast["officer"]).post(
        _url(program), {"q": budi.kk_number, "household": budi.pk, "resident": stranger.pk})
    assert response.status_code == 422
    assert not Enrollment.objects.filter(program=program).exists()


def test_it_refuses_to_apply_into_a_program_that_is_not_open(cast, client_for, make_program, budi):
    program = make_program(status="draft")
    client = client_for(cast["officer"])
    page = client.get(_url(program, budi.kk_number)).content.decode()
    assert "tidak sedang menerima peserta" in page and ">Daftarkan</button>" not in page
    response = client.post(_url(program), {"q": budi.kk_number, "household": budi.pk})
    assert response.status_code == 422
    assert "tidak sedang menerima peserta" in response.content.decode()
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("who", ["officer_other", "surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_others_and_changes_nothing(who, cast, client_for, program, budi):
    client = client_for(cast[who])
    assert client.get(_url(program, budi.kk_number)).status_code == 403
    assert client.post(_url(program), {"q": budi.kk_number, "household": budi.pk}).status_code == 403
    assert not Enrollment.objects.exists()


def test_the_admin_applies_for_any_agency(cast, client_for, make_program, budi):
    program = make_program(agency_key="lsm", budget=1_000_000)
    client_for(cast["admin"]).post(_url(program), {"q": budi.kk_number, "household": budi.pk})
    assert Enrollment.objects.filter(program=program, household=budi).count() == 1
