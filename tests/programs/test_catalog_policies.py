"""The kelurahan's overlap policies: list with a sentence per policy, create and edit (admin only)."""

from __future__ import annotations

import pytest

from bansos.programs.models import OverlapPolicy
from bansos.programs.selectors.catalog import policy_sentence
from bansos.programs.services.overlap import overlap_policy_create
from tests.programs.catalog_helpers import state

LIST, CREATE = "/program/kebijakan-tumpang-tindih/", "/program/kebijakan-tumpang-tindih/baru/"


def policy_post(**extra) -> dict:
    data = {"kind_a": "cash", "kind_b": "cash", "effect": "forbid", "same_period": "on",
            "note": "Satu bantuan tunai per keluarga", "is_active": "on"}
    data.update(extra)
    return data


@pytest.fixture
def policies(cast):
    admin = cast["admin"]
    return {
        "cash": overlap_policy_create(actor=admin, data={"kind_a": "cash", "kind_b": "cash", "effect": "forbid",
                                                         "same_period": True, "note": "Satu BLT saja"}),
        "cash_training": overlap_policy_create(actor=admin, data={
            "kind_a": "training", "kind_b": "cash", "effect": "warn", "same_period": False}),
    }


def test_each_policy_is_explained_in_a_sentence(cast, policies, client_for):
    response = client_for(cast["admin"]).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert ("Satu keluarga tidak boleh disetujui di dua program Bantuan tunai sekaligus, bila periode kedua "
            "program bertumpang tindih.") in html
    assert ("Menyetujui keluarga penerima program Bantuan tunai di program Pelatihan keterampilan (atau "
            "sebaliknya) memunculkan peringatan, kapan pun periodenya; petugas harus mengonfirmasi bahwa ia "
            "sudah memeriksanya.") in html
    assert "Alasan: Satu BLT saja" in html


@pytest.mark.parametrize(("kinds", "effect", "same_period", "expected"), [
    (("cash", "training"), "forbid", True,
     "Keluarga yang menerima program Bantuan tunai tidak boleh disetujui di program Pelatihan keterampilan (dan "
     "sebaliknya), bila periode kedua program bertumpang tindih."),
    (("health", "health"), "warn", False,
     "Menyetujui keluarga di program Kesehatan kedua memunculkan peringatan, kapan pun periodenya; petugas harus "
     "mengonfirmasi bahwa ia sudah memeriksanya."),
])
def test_policy_sentences(kinds, effect, same_period, expected):
    policy = OverlapPolicy(kind_a=kinds[0], kind_b=kinds[1], effect=effect, same_period=same_period)
    assert policy_sentence(policy) == expected


@pytest.mark.parametrize("who", ("officer", "officer_other", "surveyor", "cadre", "evaluator", "resident"))
def test_only_the_admin_manages_policies(who, cast, policies, client_for):
    client = client_for(cast[who])
    url = f"/program/kebijakan-tumpang-tindih/{policies['cash'].pk}/ubah/"
    before = state()
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, policy_post(kind_a="health", kind_b="health")).status_code == 403
    assert client.get(url).status_code == 403
    assert client.post(url, policy_post(effect="warn")).status_code == 403
    assert state() == before


def test_the_admin_creates_a_policy(cast, client_for):
    response = client_for(cast["admin"]).post(CREATE, policy_post(kind_a="training", kind_b="cash", effect="warn",
                                                                  same_period=""))
    assert response.status_code == 302 and response["Location"] == LIST
    policy = OverlapPolicy.objects.get()
    # Stored in order, so (training, cash) and (cash, training) are one policy.
    assert (policy.kind_a, policy.kind_b, policy.effect, policy.same_period) == ("cash", "training", "warn", False)


def test_a_second_policy_for_the_same_pair_is_refused(cast, policies, client_for):
    before = state()
    response = client_for(cast["admin"]).post(CREATE, policy_post(kind_a="cash", kind_b="training"))
    assert response.status_code == 200
    assert "Sudah ada kebijakan untuk pasangan jenis program ini; ubah kebijakan itu." in response.content.decode()
    assert state() == before


def test_a_policy_needs_its_kinds_and_effect(cast, client_for):
    before = state()
    response = client_for(cast["admin"]).post(CREATE, policy_post(kind_b="", effect=""))
    assert response.status_code == 200
    assert "Bidang ini tidak boleh kosong." in response.content.decode()
    assert state() == before


def test_the_admin_edits_and_switches_off_a_policy(cast, policies, client_for):
    policy = policies["cash"]
    url = f"/program/kebijakan-tumpang-tindih/{policy.pk}/ubah/"
    client = client_for(cast["admin"])
    assert "Satu keluarga tidak boleh disetujui" in client.get(url).content.decode()
    response = client.post(url, policy_post(effect="warn", is_active=""))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.effect, policy.is_active) == ("warn", False)
    assert "Tidak berlaku" in client.get(LIST).content.decode()


def test_editing_into_another_policys_pair_is_refused(cast, policies, client_for):
    url = f"/program/kebijakan-tumpang-tindih/{policies['cash'].pk}/ubah/"
    before = state()
    response = client_for(cast["admin"]).post(url, policy_post(kind_a="cash", kind_b="training"))
    assert "Sudah ada kebijakan untuk pasangan jenis program ini" in response.content.decode()
    assert state() == before


def test_an_unknown_policy_is_404(cast, client_for):
    assert client_for(cast["admin"]).get("/program/kebijakan-tumpang-tindih/99999/ubah/").status_code == 404


def test_an_empty_list_says_everything_is_allowed(cast, client_for):
    assert "Belum ada kebijakan" in client_for(cast["admin"]).get(LIST).content.decode()
