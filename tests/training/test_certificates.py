"""Certificates: issue once, revoke, and the public verification (genuine, tampered, revoked, unknown)."""

from __future__ import annotations

import pytest

from bansos.training import certificates as codes
from bansos.training.models import Certificate
from bansos.training.selectors import certificate_verify
from bansos.training.services.certificates import certificate_issue, certificate_issue_course, certificate_revoke
from bansos.training.services.courses import course_finish
from tests.training.conftest import mark, refused


@pytest.fixture
def graduates(cast, course, with_people):
    """A finished course: two completed (Ani, Bunga), one not (Citra)."""
    c = course(sessions=4)
    people = with_people(c, 3)
    mark(cast["officer"], c, people[:2], 3)
    course_finish(actor=cast["officer"], course=c)
    for p in people:
        p.refresh_from_db()
    return c, people


def test_codes_carry_a_keyed_checksum():
    code = codes.new_code()
    assert len(code) == 12 and codes.checksum_ok(code)
    assert codes.checksum_ok(codes.normalize(codes.display(code).lower()))
    for i in range(12):
        other = "A" if code[i] != "A" else "B"
        assert not codes.checksum_ok(code[:i] + other + code[i + 1:])


def test_a_code_checks_under_one_key_only(settings):
    code = codes.new_code()
    settings.SECRET_KEY = "a-different-secret-key-for-this-test-only-0123456789"
    assert not codes.checksum_ok(code)


def test_tampered_code_is_invalid_without_a_query(cast, graduates, django_assert_num_queries):
    _c, (ani, _b, _c2) = graduates
    cert = certificate_issue(actor=cast["officer"], participant=ani)
    tampered = cert.code[:3] + ("A" if cert.code[3] != "A" else "B") + cert.code[4:]
    with django_assert_num_queries(0):
        assert certificate_verify(tampered)["status"] == "invalid"
        assert certificate_verify("nonsense")["status"] == "invalid"


def test_issue_is_idempotent_and_only_for_completed(cast, graduates):
    c, (ani, bunga, citra) = graduates
    first = certificate_issue(actor=cast["officer"], participant=ani)
    again = certificate_issue(actor=cast["officer"], participant=ani)
    assert first.pk == again.pk and first.code == again.code
    refused("not_completed", certificate_issue, actor=cast["officer"], participant=citra)
    assert certificate_issue_course(actor=cast["officer"], course=c) == 1  # Bunga's is the only new one
    assert Certificate.objects.count() == 2


def test_certificate_refused_before_the_course_is_finished(cast, course, with_people):
    c = course()
    (p,) = with_people(c, 1)
    mark(cast["officer"], c, [p], 4)
    refused("not_completed", certificate_issue, actor=cast["officer"], participant=p)


def test_verification_genuine_revoked_unknown(cast, graduates):
    _c, (ani, _b, _c2) = graduates
    cert = certificate_issue(actor=cast["officer"], participant=ani)
    result = certificate_verify(codes.display(cert.code).lower())
    assert result == {"status": "genuine", "code": cert.code, "initials": "A. L.", "course": "Pemasaran Digital Uji",
                      "completed_on": ani.completed_at, "revoked_on": None}
    refused("reason_required", certificate_revoke, actor=cast["officer"], certificate=cert, reason="")
    certificate_revoke(actor=cast["officer"], certificate=cert, reason="Data kehadiran ternyata keliru")
    cert.refresh_from_db()
    result = certificate_verify(cert.code)
    assert result["status"] == "revoked" and result["revoked_on"] == cert.revoked_at
    refused("already_revoked", certificate_revoke, actor=cast["officer"], certificate=cert, reason="Lagi")
    # A well-formed code (valid checksum) that was never issued.
    unknown = codes.new_code()
    assert certificate_verify(unknown)["status"] == "invalid"


def test_initials():
    assert codes.initials("SRI WAHYUNI") == "S. W."
    assert codes.initials("Ahmad bin Sulaiman Hadi Putra") == "A. B. S."
    assert codes.initials("") == ""


def test_public_page_shows_only_initials_course_and_date(cast, graduates, client):
    _c, (ani, _b, _c2) = graduates
    cert = certificate_issue(actor=cast["officer"], participant=ani)
    response = client.get(f"/pelatihan/verifikasi/{codes.display(cert.code)}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sertifikat asli" in html and "A. L." in html and "Pemasaran Digital Uji" in html
    resident = ani.resident
    for secret in (resident.full_name, "ANI", resident.nik, resident.household.kk_number, "Balai Warga",
                   "Keterampilan Uji", "Bu Rina", "Suku Dinas"):
        assert secret not in html, secret
    certificate_revoke(actor=cast["officer"], certificate=cert, reason="Data kehadiran keliru")
    html = client.get(f"/pelatihan/verifikasi/{cert.code}/").content.decode()
    assert "Sertifikat dicabut" in html and "Data kehadiran keliru" not in html
    tampered = cert.code[:-1] + ("A" if cert.code[-1] != "A" else "B")
    response = client.get(f"/pelatihan/verifikasi/{tampered}/")
    assert response.status_code == 404 and "Kode tidak valid" in response.content.decode()
    assert "A. L." not in response.content.decode()


def test_verify_form_redirects_to_the_code_page(db, client):
    response = client.get("/pelatihan/verifikasi/", {"kode": "abcd-efgh-jklm"})
    assert response.status_code == 302 and response["Location"] == "/pelatihan/verifikasi/ABCDEFGHJKLM/"
    assert client.get("/pelatihan/verifikasi/").status_code == 200


def test_print_page_has_the_qr_code_and_absolute_link(cast, graduates, client_for):
    _c, (ani, _b, _c2) = graduates
    cert = certificate_issue(actor=cast["officer"], participant=ani)
    html = client_for(cast["officer"]).get(f"/pelatihan/sertifikat/{cert.pk}/").content.decode()
    assert "<svg" in html and f"http://testserver/pelatihan/verifikasi/{cert.code}/" in html
    assert "ANI LESTARI" in html and codes.display(cert.code) in html
    assert client_for(cast["officer_other"]).get(f"/pelatihan/sertifikat/{cert.pk}/").status_code == 403
