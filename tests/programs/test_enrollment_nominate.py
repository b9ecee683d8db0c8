"""An RT/RW officer nominates a household of their own area into an open program."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansos.core.models import AuditEvent
from bansos.programs.models import Channel, Enrollment, EnrollmentState


def _url(household):
    return reverse("programs:enrollment_nominate", args=[household.pk])


@pytest.fixture
def programs(make_program):
    return {
        "cash": make_program(name="BLT Kelurahan", budget=1_000_000),
        "training": make_program(agency_key="lsm", name="Pelatihan Menjahit", kind="training",
                                 participant="resident"),
        "draft": make_program(name="Program Draf", status="draft"),
        "closed": make_program(name="Program Selesai", status="closed"),
    }


def test_it_lists_only_programs_accepting_participants(cast, client_for, programs):
    html = client_for(cast["surveyor"]).get(_url(cast["households"]["rw1"])).content.decode()
    assert "BLT Kelurahan" in html and "Pelatihan Menjahit" in html
    assert "Program Draf" not in html and "Program Selesai" not in html


def test_a_surveyor_nominates_a_household_of_their_rw(cast, client_for, programs):
    hh = cast["households"]["rw1"]
    response = client_for(cast["surveyor"]).post(_url(hh), {"program": programs["cash"].pk,
                                                             "note": "Suami baru meninggal"})
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:household_detail", args=[hh.pk])
    e = Enrollment.objects.get(program=programs["cash"], household=hh)
    assert (e.state, e.channel, e.applied_by) == (EnrollmentState.APPLIED, Channel.NOMINATION, cast["surveyor"])
    event = AuditEvent.objects.get(action="enrollment.apply", object_id=str(e.pk))
    assert (event.reason, event.changes["channel"]) == ("Suami baru meninggal", "nomination")


def test_a_person_program_needs_the_member(cast, client_for, programs):
    hh = cast["households"]["rw1"]
    client = client_for(cast["surveyor"])
    response = client.post(_url(hh), {"program": programs["training"].pk})
    assert response.status_code == 422
    assert "Program ini untuk perorangan" in response.content.decode()
    assert not Enrollment.objects.exists()
    spouse = hh.residents.get(relation="spouse")
    client.post(_url(hh), {"program": programs["training"].pk, "resident": spouse.pk})
    assert Enrollment.objects.get(program=programs["training"]).resident == spouse


def test_a_household_already_in_a_program_cannot_be_nominated_again(cast, client_for, programs):
    hh = cast["households"]["rw1"]
    client = client_for(cast["surveyor"])
    client.post(_url(hh), {"program": programs["cash"].pk})
    html = client.get(_url(hh)).content.decode()
    assert "sudah terdaftar" in html
    response = client.post(_url(hh), {"program": programs["cash"].pk})
    assert response.status_code == 422
    assert Enrollment.objects.filter(program=programs["cash"]).count() == 1


def test_a_nomination_into_a_closed_program_is_refused(cast, client_for, programs):
    response = client_for(cast["surveyor"]).post(_url(cast["households"]["rw1"]), {"program": programs["closed"].pk})
    assert response.status_code == 422
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("who,key", [
    ("surveyor_other", "rw1"),  # another RW
    ("surveyor_rt", "rw1"),  # an RT officer of RT 2, the household is in RT 1
    ("surveyor", "rw2"),
    ("officer", "rw1"),  # program staff apply from the program's page instead
    ("cadre", "rw1"), ("evaluator", "rw1"), ("resident", "rw1"),
])
def test_it_refuses_households_outside_the_nominators_area(who, key, cast, client_for, programs):
    client = client_for(cast[who])
    hh = cast["households"][key]
    assert client.get(_url(hh)).status_code == 404
    assert client.post(_url(hh), {"program": programs["cash"].pk}).status_code == 404
    assert not Enrollment.objects.exists()


def test_an_rt_officer_nominates_in_their_own_rt(cast, client_for, programs):
    hh = cast["households"]["rw1_rt2"]
    client_for(cast["surveyor_rt"]).post(_url(hh), {"program": programs["cash"].pk})
    assert Enrollment.objects.get(household=hh).channel == Channel.NOMINATION


def test_an_inactive_household_cannot_be_nominated(cast, client_for, programs):
    from bansos.registry.models import Household

    hh = cast["households"]["rw1"]
    Household.objects.filter(pk=hh.pk).update(status="moved")
    client = client_for(cast["surveyor"])
    html = client.get(_url(hh)).content.decode()
    assert "tidak aktif di registri" in html
    response = client.post(_url(hh), {"program": programs["cash"].pk})
    assert response.status_code == 422
    assert not Enrollment.objects.exists()
