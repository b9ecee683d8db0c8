"""Public pages: catalog, program page, questionnaire, home, offline page, manifest and service worker."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_lists_open_and_running_programs_with_their_public_fields_only(client, training, cash_program,
                                                                          draft_program):
    response = client.get(reverse("portal:catalog"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pelatihan Menjahit" in body and "BLT Warga" in body
    assert "Program Draf Rahasia" not in body
    assert "Bisa daftar lewat portal" in body  # the training is open for resident applications
    assert "anggaran" not in body.lower()


def test_it_filters_the_catalog_by_target_group_and_kind(client, training, cash_program):
    body = client.get(reverse("portal:catalog"), {"target": "poor"}).content.decode()
    assert "BLT Warga" in body and "Pelatihan Menjahit" not in body
    body = client.get(reverse("portal:catalog"), {"kind": "training"}).content.decode()
    assert "Pelatihan Menjahit" in body and "BLT Warga" not in body
    # A stale or forged filter is ignored rather than failing the page.
    assert client.get(reverse("portal:catalog"), {"kind": "nope", "target": "x"}).status_code == 200


def test_it_shows_how_to_apply_and_contact_on_the_program_page(client, training):
    body = client.get(reverse("portal:program_detail", args=[training.pk])).content.decode()
    assert "Daftar lewat portal atau datang ke kelurahan." in body
    assert "021-555" in body
    assert reverse("portal:apply", args=[training.pk]) in body


def test_it_hides_a_draft_program_page(client, draft_program):
    assert client.get(reverse("portal:program_detail", args=[draft_program.pk])).status_code == 404


def test_the_questionnaire_explains_each_suggestion_and_stores_nothing(client, training, cash_program):
    from bansos.core.models import AuditEvent

    before = AuditEvent.objects.count()
    response = client.get(reverse("portal:questionnaire"), {"cek": "1", "female_head": "on"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pelatihan Menjahit" in body
    assert "perempuan kepala keluarga" in body  # the reason names the target group
    assert "Apakah kepala keluarga Anda seorang perempuan?" in body
    # Without hardship, the cash program for poor families is not suggested.
    assert body.count("BLT Warga") == 0
    assert AuditEvent.objects.count() == before


def test_the_questionnaire_suggests_by_each_answered_group(client, training, cash_program):
    body = client.get(reverse("portal:questionnaire"), {"cek": "1", "hardship": "on"}).content.decode()
    assert "BLT Warga" in body and "keluarga miskin/rentan" in body


def test_the_home_page_links_to_catalog_status_and_certificate_verification(client, training):
    body = client.get(reverse("portal:home")).content.decode()
    for name in ("portal:catalog", "portal:status", "portal:questionnaire", "portal:login", "training:verify_form"):
        assert reverse(name) in body
    assert reverse("portal:manifest") in body


def test_a_signed_in_resident_lands_on_the_household_home(client_for, cast):
    response = client_for(cast["resident"]).get(reverse("portal:home"))
    assert response.status_code == 302 and response.url == reverse("portal:beranda")


def test_the_manifest_and_service_worker_cover_the_portal(client):
    import json

    manifest = client.get(reverse("portal:manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["start_url"] == data["scope"] == reverse("portal:home")
    assert {i["sizes"] for i in data["icons"]} == {"any", "192x192", "512x512"}
    worker = client.get(reverse("portal:service_worker"))
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == reverse("portal:home")
    body = worker.content.decode()
    assert reverse("portal:catalog") in body and reverse("portal:offline") in body


def test_the_offline_page_points_at_what_still_works(client):
    body = client.get(reverse("portal:offline")).content.decode()
    assert reverse("portal:catalog") in body
