import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bansos.core.models import AuditEvent
from bansos.registry.models import Household, ImportJob, Resident
from tests.registry.importhelpers import family, write_csv


def _upload(client, name, content, dry_run=False, django_capture_on_commit_callbacks=None):
    data = {"file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("registry:import_create"), data)


def test_it_imports_an_upload_and_shows_the_job(cast, client_for, tmp_path, django_capture_on_commit_callbacks):
    content = write_csv(tmp_path / "a.csv", family()).read_bytes()
    client = client_for(cast["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, "keluarga.csv", content)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_detail", args=[job.pk])
    assert (job.status, job.rows_total, job.rows_done, job.stored, job.rejected) == ("done", 3, 3, 3, 0)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Unduh laporan per baris" in page.content.decode()
    report = client.get(reverse("registry:import_report", args=[job.pk]))
    assert b"".join(report.streaming_content).decode().splitlines()[0] == "baris,no_kk,nik,nama,status,alasan"


def test_a_dry_run_upload_stores_nothing_and_can_be_run_for_real(cast, client_for, tmp_path,
                                                                  django_capture_on_commit_callbacks):
    content = write_csv(tmp_path / "a.csv", family()).read_bytes()
    client = client_for(cast["admin"])
    before = (Household.objects.count(), Resident.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, "keluarga.csv", content, dry_run=True)
    job = ImportJob.objects.get()
    assert (job.dry_run, job.status, job.stored) == (True, "done", 3)
    assert (Household.objects.count(), Resident.objects.count()) == before
    page = client.get(reverse("registry:import_detail", args=[job.pk])).content.decode()
    assert "Impor sungguhan" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_detail", args=[job.pk]))
    real = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("registry:import_detail", args=[real.pk])
    assert (real.dry_run, real.status, real.stored) == (False, "done", 3)
    assert Resident.objects.count() == before[1] + 3


def test_the_progress_fragment_polls_until_the_job_is_done(cast, client_for):
    job = ImportJob.objects.create(created_by=cast["admin"], original_name="a.csv", file_path="/nope",
                                   rows_total=10, rows_done=5, status="running")
    client = client_for(cast["admin"])
    fragment = client.get(reverse("registry:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert 'value="50"' in fragment.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status="done")
    done = client.get(reverse("registry:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("data.csv", b"", "Berkas kosong."),
    ("data.csv", b"\x00\x01\x02\x03binary\x00\xff" * 50, "bukan CSV"),
    ("data.csv", b"<!DOCTYPE html>\n<html><body>halo</body></html>\n", "Baris pertama berkas harus berisi judul kolom"),
    ("data.xlsx", b"PK\x03\x04 not really a zip", "Berkas XLSX ini rusak"),
    ("data.csv", b"no_kk,nik,nama_lengkap\n1,2,3\n", "Kolom wajib tidak ada: jenis_kelamin"),
])
def test_it_refuses_hostile_or_broken_uploads_and_stores_nothing(cast, client_for, settings, name, content, message):
    client = client_for(cast["admin"])
    folder = settings.MEDIA_ROOT / "imports"
    files_before = set(folder.iterdir()) if folder.exists() else set()
    response = _upload(client, name, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert (set(folder.iterdir()) if folder.exists() else set()) == files_before


def test_it_refuses_an_upload_over_the_size_limit(cast, client_for, settings, tmp_path):
    settings.BANSOS_IMPORT_MAX_BYTES = 100
    content = write_csv(tmp_path / "a.csv", family()).read_bytes()
    response = _upload(client_for(cast["admin"]), "a.csv", content)
    assert response.status_code == 422
    assert "Berkas terlalu besar" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_it_refuses_import_pages_to_a_surveyor_and_changes_nothing(cast, client_for, tmp_path):
    content = write_csv(tmp_path / "a.csv", family()).read_bytes()
    client = client_for(cast["surveyor"])
    events = AuditEvent.objects.count()
    assert client.get(reverse("registry:import_list")).status_code == 403
    assert _upload(client, "a.csv", content).status_code == 403
    assert client.get(reverse("registry:import_template", args=["csv"])).status_code == 403
    assert (ImportJob.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_the_templates_carry_the_headers_an_example_and_instructions(cast, client_for):
    from openpyxl import load_workbook

    from bansos.registry.columns import HEADERS

    client = client_for(cast["admin"])
    text = client.get(reverse("registry:import_template", args=["csv"])).content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(",") == list(HEADERS)
    assert len(lines) == 2
    response = client.get(reverse("registry:import_template", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["data", "petunjuk"]
    guide = list(workbook["petunjuk"].iter_rows(values_only=True))
    assert guide[1][:3] == ("no_kk", "ya", "16 angka, ketik sebagai teks")
    assert len(guide) == len(HEADERS) + 1


def test_the_template_imports_cleanly(cast, tmp_path):
    from bansos.registry.exporting import csv_lines, template_example
    from bansos.registry.importing import import_file

    path = tmp_path / "t.csv"
    path.write_text("".join(csv_lines(iter([template_example()]))), encoding="utf-8")
    summary = import_file(path=path, actor=cast["admin"])
    assert (summary.rows, summary.stored, summary.rejected) == (1, 1, 0)
