from __future__ import annotations

from pathlib import Path

import pytest

from bansos.core.models import AuditEvent
from bansos.core.errors import PermissionDeniedError
from bansos.surveys import xlsform
from bansos.surveys.models import Choice, Question, Section, SurveyForm

FILES = Path(__file__).parent / "files"
EXAMPLE = xlsform.EXAMPLE_SURVEY
HEADER = EXAMPLE[0]


def test_the_shipped_example_file_matches_the_download():
    assert (FILES / "contoh_xlsform.xlsx").read_bytes()[:2] == b"PK"
    settings, questions, sections, problems, notes = xlsform.parse_workbook((FILES / "contoh_xlsform.xlsx").read_bytes())
    assert problems == []
    assert [q.code for q in questions] == [
        "jenis_lantai", "daya_listrik", "punya_motor", "kebutuhan_utama", "kebutuhan_lain", "penghasilan",
        "status_pekerjaan", "pekerjaan",
    ]


def test_it_imports_the_example_xlsform(cast):
    before = AuditEvent.objects.count()
    result = xlsform.form_import_xlsform(actor=cast["admin"], data=xlsform.example_bytes(), filename="contoh.xlsx")
    form = result.form
    assert form.title == "Survei Kebutuhan Keluarga Duri Kepa"
    assert form.status == "draft"
    assert result.questions == 8
    assert [s.title for s in Section.objects.filter(form=form).order_by("order")] == [
        "Kondisi rumah", "Kebutuhan keluarga", "Setiap anggota keluarga"]
    floor = Question.objects.get(form=form, code="jenis_lantai")
    assert (floor.kind, floor.required, floor.maps_to) == ("single", True, "household.floor_material")
    assert list(floor.choices.values_list("value", flat=True)) == ["ceramic", "tile", "cement", "wood", "bamboo", "earth"]
    motor = Question.objects.get(form=form, code="punya_motor")
    assert (motor.kind, motor.choices.count()) == ("yesno", 0)
    other = Question.objects.get(form=form, code="kebutuhan_lain")
    assert (other.show_when_question.code, other.show_when_op, other.show_when_value) == ("kebutuhan_utama", "in", "lain")
    job = Question.objects.get(form=form, code="pekerjaan")
    assert (job.subject, job.show_when_op, job.show_when_value) == ("resident", "ne", "unemployed")
    assert [n["row"] for n in result.notes] == [2]  # the "start" metadata row is skipped with a note
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.first().action == "survey.form.import"


def test_it_maps_choice_labels_to_registry_codes(cast):
    survey = [HEADER, ("select_one lantai", "lantai", "Lantai", "", "yes", "", "household.floor_material", "")]
    choices = [("list_name", "name", "label"), ("lantai", "1", "Keramik/granit/marmer"), ("lantai", "2", "Tanah")]
    result = xlsform.form_import_xlsform(actor=cast["admin"], data=xlsform.workbook_bytes(survey, choices))
    question = Question.objects.get(form=result.form)
    assert list(question.choices.values_list("value", "label")) == [
        ("ceramic", "Keramik/granit/marmer"), ("earth", "Tanah")]


BAD_SURVEY = [
    HEADER,
    ("begin_group", "g1", "Rumah", "", "", "", "", ""),
    ("select_one lantai", "lantai", "Lantai", "", "yes", "", "household.floor_material", ""),
    ("geopoint", "lokasi", "Lokasi rumah", "", "", "", "", ""),
    ("integer", "jumlah", "Jumlah", "", "kadang", "", "", ""),
    ("text", "catatan", "Catatan", "", "", "${jumlah} > 3", "", ""),
    ("text", "lantai", "Lagi", "", "", "", "", ""),
    ("select_one tidak_ada", "x", "X", "", "", "", "", ""),
    ("integer", "2salah", "Nama salah", "", "", "", "", ""),
    ("end_group", "", "", "", "", "", "", ""),
]
BAD_CHOICES = [("list_name", "name", "label"), ("lantai", "marmer_mewah", "Marmer mewah")]


def test_it_rejects_a_bad_file_with_one_message_per_row_and_stores_nothing(cast):
    before = (SurveyForm.objects.count(), Question.objects.count(), Choice.objects.count(), AuditEvent.objects.count())
    with pytest.raises(xlsform.XlsFormRejected) as caught:
        xlsform.form_import_xlsform(actor=cast["admin"], data=xlsform.workbook_bytes(BAD_SURVEY, BAD_CHOICES))
    rows = [(p["sheet"], p["row"]) for p in caught.value.problems]
    assert rows == [("choices", 2), ("survey", 4), ("survey", 5), ("survey", 6), ("survey", 8), ("survey", 9)]
    messages = [p["message"] for p in caught.value.problems]
    assert "tidak cocok dengan kode registri" in messages[0]
    assert messages[1] == "Jenis 'geopoint' tidak didukung."
    assert messages[2] == "Kolom required berisi 'kadang'; tulis yes atau no."
    assert "tidak didukung" in messages[3]
    assert messages[4] == "Daftar pilihan 'tidak_ada' tidak ada di lembar choices."
    assert (SurveyForm.objects.count(), Question.objects.count(), Choice.objects.count(),
            AuditEvent.objects.count()) == before


def test_it_rejects_a_file_that_is_not_a_workbook(cast):
    with pytest.raises(xlsform.XlsFormRejected) as caught:
        xlsform.form_import_xlsform(actor=cast["admin"], data=b"type,name,label\ntext,a,A\n")
    assert caught.value.problems[0]["message"].startswith("Berkas tidak dapat dibaca sebagai XLSX")
    assert SurveyForm.objects.count() == 0


def test_it_refuses_import_without_the_design_permission(cast):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError):
        xlsform.form_import_xlsform(actor=cast["surveyor"], data=xlsform.example_bytes())
    assert (SurveyForm.objects.count(), AuditEvent.objects.count()) == (0, before)


def test_the_import_page_shows_row_errors_and_the_example_downloads(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(cast["admin"])
    example = client.get("/survei/formulir/contoh-xlsform.xlsx")
    assert example.status_code == 200 and example.content[:2] == b"PK"
    upload = SimpleUploadedFile("buruk.xlsx", xlsform.workbook_bytes(BAD_SURVEY, BAD_CHOICES))
    page = client.post("/survei/formulir/impor/", {"file": upload})
    assert page.status_code == 200
    assert "Jenis &#x27;geopoint&#x27; tidak didukung." in page.content.decode()
    assert SurveyForm.objects.count() == 0
    good = client.post("/survei/formulir/impor/", {"file": SimpleUploadedFile("contoh.xlsx", xlsform.example_bytes())})
    assert good.status_code == 302
    assert SurveyForm.objects.count() == 1
    assert client_for(cast["surveyor"]).get("/survei/formulir/impor/").status_code == 403
