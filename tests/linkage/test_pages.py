"""Review pages and the merge API: confirm a pair from its page, unmerge by the admin only, aliases shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansos.linkage.models import CandidatePair, LinkageRun, PairStatus
from bansos.registry.models import ResidentMerge

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(cast, twin):
    budi, dup = twin
    run = LinkageRun.objects.create(created_by=cast["admin"], status="done")
    return budi, dup, CandidatePair.objects.create(
        run=run, left=budi, right=dup, probability=0.87, weight=4.0,
        evidence={"nik": "typo", "name": "jw95", "birth_date": "exact", "sex": "exact", "household": "else"})


def test_the_pair_page_shows_the_evidence_in_words(cast, pair, client_for):
    *_, p = pair
    page = client_for(cast["admin"]).get(reverse("linkage:pair_detail", args=[p.pk])).content.decode()
    assert "NIK beda satu angka atau dua angka tertukar (salah ketik)" in page and "Tanggal lahir sama persis" in page
    assert "MOH. BUDI SANTOSO" in page
    queue = client_for(cast["admin"]).get(reverse("linkage:pair_list") + "?band=review").content.decode()
    assert "87%" in queue


@pytest.mark.parametrize("who", ["officer", "surveyor", "evaluator", "resident"])
def test_only_the_admin_confirms(cast, pair, client_for, who):
    budi, dup, p = pair
    response = client_for(cast[who]).post(reverse("linkage:pair_confirm", args=[p.pk]),
                                          {"keep": budi.pk, "reason": "sama"})
    assert response.status_code == 403
    p.refresh_from_db()
    assert p.status == PairStatus.PENDING and not ResidentMerge.objects.exists()


def test_confirm_without_reason_changes_nothing(cast, pair, client_for):
    budi, dup, p = pair
    response = client_for(cast["admin"]).post(reverse("linkage:pair_confirm", args=[p.pk]), {"keep": budi.pk})
    assert response.status_code == 422 and "Tuliskan alasannya." in response.content.decode()
    assert not ResidentMerge.objects.exists()


def test_confirm_merge_then_the_alias_leads_to_the_survivor_and_the_admin_unmerges(cast, pair, client_for):
    budi, dup, p = pair
    admin = client_for(cast["admin"])
    response = admin.post(reverse("linkage:pair_confirm", args=[p.pk]), {"keep": budi.pk, "reason": "orang sama"})
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.status == "merged" and dup.merged_into_id == budi.pk
    alias_page = admin.get(reverse("linkage:resident_merges", args=[dup.pk])).content.decode()
    assert "Data ini sudah digabung" in alias_page and reverse("registry:household_detail",
                                                                 args=[budi.household_id]) in alias_page
    household = admin.get(reverse("registry:household_detail", args=[dup.household_id])).content.decode()
    assert "Data ganda yang digabung" in household
    merge = ResidentMerge.objects.get()
    undo = reverse("linkage:merge_undo", args=[merge.pk])
    assert admin.post(undo, {"reason": ""}).status_code == 422
    assert admin.post(undo, {"reason": "ternyata kembar"}).status_code == 302
    dup.refresh_from_db()
    merge.refresh_from_db()
    assert dup.status == "active" and merge.undone_at is not None


def test_the_api_unmerge_is_refused_to_others(cast, pair, client_for):
    from bansos.registry.services_merge import resident_merge

    budi, dup, _ = pair
    merge = resident_merge(actor=cast["admin"], survivor=budi, duplicate=dup, reason="sama")
    for who in ("officer", "surveyor", "evaluator"):
        answer = client_for(cast[who]).post(f"/api/linkage/merges/{merge.pk}/unmerge", {"reason": "x"},
                                            content_type="application/json")
        assert answer.status_code == 403
    merge.refresh_from_db()
    assert merge.undone_at is None
    ok = client_for(cast["admin"]).post(f"/api/linkage/merges/{merge.pk}/unmerge", {"reason": "kembar"},
                                        content_type="application/json")
    assert ok.status_code == 200 and ok.json()["undone_at"]


def test_the_api_lists_and_confirms_pairs(cast, pair, client_for):
    budi, dup, p = pair
    listed = client_for(cast["admin"]).get("/api/linkage/pairs").json()
    assert [x["id"] for x in listed] == [p.pk] and listed[0]["band"] == "review"
    assert client_for(cast["officer"]).get("/api/linkage/pairs").status_code == 403
    done = client_for(cast["admin"]).post(f"/api/linkage/pairs/{p.pk}/confirm", {"keep_id": dup.pk, "reason": "x"},
                                          content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
