"""Agency lists: upload (hostile files refused with nothing stored), column mapping, linkage, review,
the report's agency scope (own programs by name, other agencies' by kind only), the audited CSV."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bansos.core.audit import AuditEvent
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError, ValidationFailed
from bansos.linkage.listfile import guess_mapping, mapped_row, parse_date
from bansos.linkage.models import AgencyList, AgencyListRow, ListStatus, RowStatus
from bansos.linkage.services.lists import (
    MSG_MAP_NAME, agency_list_execute, agency_list_map, agency_list_row_decide, agency_list_upload,
)
from bansos.linkage.selectors import list_report
from bansos.registry.importing.reader import ImportFileError

pytestmark = pytest.mark.django_db


def _csv(cast, extra_rows=()):
    budi = cast["households"]["rw1"].residents.get(relation="head")
    lines = ["Nama Penerima;NIK;Tgl Lahir;JK;RT/RW",
             f"{budi.full_name.upper()};{budi.nik};{budi.birth_date:%d-%m-%Y};L;001/001",
             "Zainal Arifin Pohan;;01-01-1961;L;009/009", *extra_rows]
    return budi, SimpleUploadedFile("daftar.csv", "\n".join(lines).encode(), content_type="text/csv")


@pytest.fixture
def uploaded(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    budi, upload = _csv(cast)
    return budi, agency_list_upload(actor=cast["officer"], upload=upload)


def test_it_guesses_the_columns_from_the_headers():
    assert guess_mapping(["No", "Nama Penerima", "NIK", "Tgl Lahir", "JK", "Alamat", "RT/RW", "No KK"]) == {
        "full_name": 1, "nik": 2, "birth_date": 3, "sex": 4, "address": 5, "rt": 6, "rw": 6, "kk": 7}


def test_it_reads_loose_cells():
    row = mapped_row(["H. Ahmad", "3173051708800001", "17/08/1980", "laki-laki", "003/011"],
                     {"full_name": 0, "nik": 1, "birth_date": 2, "sex": 3, "rt": 4, "rw": 4})
    assert (row["birth_date"].isoformat(), row["sex"], row["rt"], row["rw"]) == ("1980-08-17", "L", 3, 11)
    assert parse_date("17 Agustus 1980").isoformat() == "1980-08-17"
    assert parse_date("31-02-1980") is None and parse_date("kemarin") is None
    assert mapped_row([3.1730517088e15], {"nik": 0})["nik"] == "3173051708800000"


def test_an_officer_uploads_for_its_own_agency_and_the_mapping_is_guessed(cast, uploaded):
    _, agency_list = uploaded
    assert agency_list.agency == cast["officer"].agency
    assert agency_list.status == ListStatus.MAPPING
    assert agency_list.mapping == {"full_name": 0, "nik": 1, "birth_date": 2, "sex": 3, "rt": 4, "rw": 4}
    assert agency_list.sample[1][0] == "Zainal Arifin Pohan"
    assert AuditEvent.objects.filter(action="linkage.list.upload", object_id=str(agency_list.pk)).count() == 1


@pytest.mark.parametrize("content", [
    b"", b"\x00\x01\x02binary\x00" * 50, b"PK\x03\x04 not really a workbook",
])
def test_hostile_files_are_refused_with_nothing_stored(cast, settings, tmp_path, content):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ImportFileError):
        agency_list_upload(actor=cast["officer"], upload=SimpleUploadedFile("x.csv", content))
    assert not AgencyList.objects.exists()
    assert not list((tmp_path / "agency-lists").iterdir())


def test_a_zip_bomb_is_refused(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(ImportFileError):
        agency_list_upload(actor=cast["officer"], upload=SimpleUploadedFile("bom.xlsx", buffer.getvalue()))
    assert not AgencyList.objects.exists()


def test_a_file_over_the_size_limit_is_refused(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BANSOS_IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportFileError) as refused:
        agency_list_upload(actor=cast["officer"], upload=SimpleUploadedFile("x.csv", b"Nama\n" + b"a\n" * 100))
    assert "MB" in refused.value.text
    assert not AgencyList.objects.exists()


@pytest.mark.parametrize("who", ["surveyor", "cadre", "evaluator", "resident"])
def test_other_roles_cannot_upload(cast, settings, tmp_path, who):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(PermissionDeniedError):
        agency_list_upload(actor=cast[who], upload=_csv(cast)[1])
    assert not AgencyList.objects.exists()


def test_an_officer_cannot_upload_for_another_agency(cast, agencies, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(PermissionDeniedError):
        agency_list_upload(actor=cast["officer"], upload=_csv(cast)[1], agency=agencies["lsm"])
    assert not AgencyList.objects.exists()


def test_the_admin_must_choose_the_agency(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DomainError) as refused:
        agency_list_upload(actor=cast["admin"], upload=_csv(cast)[1])
    assert refused.value.field == "agency"


def test_a_mapping_without_name_or_nik_is_refused(cast, uploaded):
    _, agency_list = uploaded
    with pytest.raises(ValidationFailed) as refused:
        agency_list_map(actor=cast["officer"], agency_list=agency_list, mapping={"birth_date": 2})
    assert refused.value.errors == {"full_name": [str(MSG_MAP_NAME)]}
    with pytest.raises(ValidationFailed) as refused:
        agency_list_map(actor=cast["officer"], agency_list=agency_list, mapping={"full_name": 9})
    assert "full_name" in refused.value.errors
    agency_list.refresh_from_db()
    assert agency_list.status == ListStatus.MAPPING


def test_another_agencys_officer_never_sees_the_list(cast, uploaded):
    _, agency_list = uploaded
    with pytest.raises(NotFoundError):
        agency_list_map(actor=cast["officer_other"], agency_list=agency_list, mapping=agency_list.mapping)
    agency_list.refresh_from_db()
    assert agency_list.status == ListStatus.MAPPING


def test_it_links_the_list_and_the_uploader_reviews(cast, uploaded):
    budi, agency_list = uploaded
    agency_list_map(actor=cast["officer"], agency_list=agency_list, mapping=agency_list.mapping)
    agency_list = agency_list_execute(agency_list.pk)
    assert agency_list.status == ListStatus.DONE, agency_list.error
    assert agency_list.rows_total == 2
    budi_row = agency_list.rows.get(number=2)
    assert budi_row.status in (RowStatus.LINKED, RowStatus.POSSIBLE)
    assert budi_row.resident_id == budi.pk
    assert agency_list.rows.get(number=3).status == RowStatus.NEW
    assert agency_list.linked + agency_list.possible + agency_list.new == 2
    if budi_row.status == RowStatus.POSSIBLE:
        with pytest.raises(NotFoundError):
            agency_list_row_decide(actor=cast["officer_other"], row=budi_row, decision="same")
        agency_list_row_decide(actor=cast["officer"], row=budi_row, decision="same")
        budi_row.refresh_from_db()
        assert budi_row.status == RowStatus.LINKED


def _done_list(cast, agencies, agency_key="dinsos"):
    agency_list = AgencyList.objects.create(agency=agencies[agency_key], title="Uji", original_name="u.csv",
                                            file_path="/nope", file_kind="csv", status=ListStatus.DONE,
                                            rows_total=2, linked=1, possible=1)
    budi = cast["households"]["rw1"].residents.get(relation="head")
    joko = cast["households"]["rw2"].residents.get(relation="head")
    AgencyListRow.objects.create(agency_list=agency_list, number=2, full_name="=HYPERLINK(1)", nik=budi.nik,
                                 status=RowStatus.LINKED, resident=budi, probability=0.99)
    possible = AgencyListRow.objects.create(agency_list=agency_list, number=3, full_name="Joko", status="possible",
                                            resident=joko, probability=0.6, evidence={"name": "part"})
    return agency_list, budi, possible


def test_the_report_names_own_programs_and_only_the_kind_of_others(cast, agencies, make_program):
    from bansos.programs.models import Enrollment

    agency_list, budi, _ = _done_list(cast, agencies)
    own = make_program("dinsos", name="BLT Sudinsos Uji", kind="cash")
    other = make_program("lsm", name="Beasiswa Rahasia LSM", kind="education")
    Enrollment.objects.create(program=own, household=budi.household, state="active")
    Enrollment.objects.create(program=other, household=budi.household, resident=budi, state="active")
    officer_view = list_report(agency_list, viewer=cast["officer"])
    line = officer_view["lines"][0]["help"]
    assert line.own == ["BLT Sudinsos Uji"]
    assert line.kinds == ["Pendidikan"]
    assert officer_view["receiving"] == 1 and officer_view["by_kind"] == [("Pendidikan", 1)]
    assert "Beasiswa Rahasia LSM" in list_report(agency_list, viewer=cast["admin"])["lines"][0]["help"].own


def test_the_report_page_hides_other_agencies_program_names(cast, agencies, make_program, client_for):
    from bansos.programs.models import Enrollment

    agency_list, budi, _ = _done_list(cast, agencies)
    other = make_program("lsm", name="Beasiswa Rahasia LSM", kind="education")
    Enrollment.objects.create(program=other, household=budi.household, resident=budi, state="active")
    url = reverse("linkage:list_report", args=[agency_list.pk])
    page = client_for(cast["officer"]).get(url)
    assert page.status_code == 200
    assert "Beasiswa Rahasia LSM" not in page.content.decode() and "Pendidikan" in page.content.decode()
    assert client_for(cast["officer_other"]).get(url).status_code == 404
    assert client_for(cast["surveyor"]).get(url).status_code == 403


def test_the_csv_download_is_audited_and_neutralises_formulas(cast, agencies, client_for):
    agency_list, *_ = _done_list(cast, agencies)
    url = reverse("linkage:list_export", args=[agency_list.pk])
    assert client_for(cast["officer_other"]).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="linkage.list.export").exists()
    response = client_for(cast["officer"]).get(url)
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body
    assert AuditEvent.objects.filter(action="linkage.list.export", actor=cast["officer"]).count() == 1


def test_row_review_through_the_page_both_ways(cast, agencies, client_for):
    agency_list, _, possible = _done_list(cast, agencies)
    url = reverse("linkage:row_decide", args=[agency_list.pk, possible.pk])
    assert client_for(cast["officer_other"]).post(url, {"decision": "same"}).status_code == 404
    possible.refresh_from_db()
    assert possible.status == RowStatus.POSSIBLE
    assert client_for(cast["officer"]).post(url, {"decision": "different"}).status_code == 302
    possible.refresh_from_db()
    agency_list.refresh_from_db()
    assert (possible.status, possible.resident_id, agency_list.possible, agency_list.new) == ("new", None, 0, 1)


def test_the_upload_page_flow(cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(cast["officer"])
    _, upload = _csv(cast)
    response = client.post(reverse("linkage:list_upload"), {"title": "Sembako", "file": upload})
    agency_list = AgencyList.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("linkage:list_detail",
                                                                             args=[agency_list.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Petakan kolom" in page and "Nama Penerima" in page
    bad = client.post(reverse("linkage:list_map", args=[agency_list.pk]), {"birth_date": "2"})
    assert bad.status_code == 422 and str(MSG_MAP_NAME) in bad.content.decode()
    refused = client.post(reverse("linkage:list_upload"), {"file": SimpleUploadedFile("x.csv", b"\x00\x01" * 99)})
    assert refused.status_code == 422 and AgencyList.objects.count() == 1


def test_the_api_upload_and_scope(cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _, upload = _csv(cast)
    created = client_for(cast["officer"]).post("/api/linkage/lists", {"file": upload, "title": "API"})
    assert created.status_code == 201, created.content
    list_id = created.json()["id"]
    assert created.json()["mapping"]["full_name"] == 0
    assert client_for(cast["officer_other"]).get(f"/api/linkage/lists/{list_id}").status_code == 404
    assert client_for(cast["officer_other"]).get("/api/linkage/lists").json() == []
    bad = client_for(cast["officer"]).post(f"/api/linkage/lists/{list_id}/mapping", {"sex": 3},
                                           content_type="application/json")
    assert bad.status_code == 422
