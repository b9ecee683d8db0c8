from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from bansos.core.models import AuditEvent
from bansos.surveys import services
from bansos.surveys.models import Choice, Question, Response, Section, SurveyForm
from tests.surveys.conftest import full_answers, q


def test_the_entry_page_goes_section_by_section_and_submits(cast, survey_round, client_for):
    household = cast["households"]["rw1"]
    form = survey_round.form
    client = client_for(cast["surveyor"])
    url = f"/survei/putaran/{survey_round.pk}/keluarga/{household.pk}/"
    search = client.get(f"/survei/putaran/{survey_round.pk}/isi/?q=BUDI")
    assert household.kk_number in search.content.decode()
    page = client.get(url)
    assert "Jenis lantai terluas" in page.content.decode()
    # "Next" without the required answers stays on the section and says why, next to the question.
    empty = client.post(f"{url}?bagian=1", {"action": "next"})
    assert empty.status_code == 422
    assert "Pertanyaan ini wajib dijawab." in empty.content.decode()
    assert Response.objects.count() == 0
    step = client.post(f"{url}?bagian=1", {"action": "next", f"q{q(form, 'jenis_lantai').pk}": "wood",
                                           f"q{q(form, 'daya_listrik').pk}": "450",
                                           f"q{q(form, 'punya_motor').pk}": "no"})
    assert step.status_code == 302 and step["Location"].endswith("?bagian=2")
    assert Response.objects.get().status == "draft"
    needs = q(form, "kebutuhan_utama")
    step = client.post(f"{url}?bagian=2", {"action": "next", f"q{needs.pk}": ["pelatihan"],
                                           f"q{q(form, 'penghasilan').pk}": "1.500.000"})
    assert step["Location"].endswith("?bagian=3")
    members = list(household.residents.order_by("birth_date", "pk"))
    data = {"action": "submit"}
    for member in members:
        data[f"q{q(form, 'status_pekerjaan').pk}_r{member.pk}"] = "unemployed" if member.birth_date.year < 2000 else "na"
    done = client.post(f"{url}?bagian=3", data)
    assert done.status_code == 302
    household.refresh_from_db()
    assert (household.floor_material, household.electricity_va, household.monthly_income) == ("wood", 450, 1_500_000)
    assert Response.objects.get().status == "submitted"


def test_the_refresh_endpoint_applies_show_when_without_saving(cast, survey_round, client_for):
    household = cast["households"]["rw1"]
    form = survey_round.form
    needs, other = q(form, "kebutuhan_utama"), q(form, "kebutuhan_lain")
    client = client_for(cast["surveyor"])
    url = f"/survei/putaran/{survey_round.pk}/keluarga/{household.pk}/segarkan/?bagian=2"
    hidden = client.post(url, {f"q{needs.pk}": ["modal"]}, HTTP_HX_REQUEST="true")
    assert f'name="q{other.pk}"' not in hidden.content.decode()
    shown = client.post(url, {f"q{needs.pk}": ["modal", "lain"]}, HTTP_HX_REQUEST="true")
    assert f'name="q{other.pk}"' in shown.content.decode()
    assert 'hx-post="' in shown.content.decode()
    assert Response.objects.count() == 0


def test_the_builder_adds_sections_questions_and_choices(cast, client_for):
    client = client_for(cast["admin"])
    client.post("/survei/formulir/", {"title": "Survei Air", "version": "1"})
    form = SurveyForm.objects.get()
    client.post(f"/survei/formulir/{form.pk}/bagian/", {"title": "Air"})
    section = Section.objects.get(form=form)
    page = client.post(f"/survei/formulir/{form.pk}/pertanyaan/", {
        "section": section.pk, "code": "air", "label": "Sumber air minum", "kind": "single",
        "subject": "household", "maps_to": "household.water_source", "required": "on"})
    assert page.status_code == 302
    question = Question.objects.get(form=form)
    assert list(question.choices.values_list("value", flat=True)) == [
        "bottled", "piped", "pump", "protected_well", "unprotected"]
    bad = client.post(f"/survei/formulir/{form.pk}/pertanyaan/{question.pk}/pilihan/",
                      {f"c{question.pk}-value": "sungai", f"c{question.pk}-label": "Sungai"})
    assert bad.status_code == 200
    assert "harus salah satu kode registri" in bad.content.decode()
    assert Choice.objects.filter(question=question).count() == 5
    wrong_kind = client.post(f"/survei/formulir/{form.pk}/pertanyaan/", {
        "section": section.pk, "code": "motor", "label": "Motor?", "kind": "text",
        "subject": "household", "maps_to": "household.asset_motorbike"})
    assert "membutuhkan jawaban berjenis Ya/Tidak" in wrong_kind.content.decode()
    client.post(f"/survei/formulir/{form.pk}/pertanyaan/", {
        "section": section.pk, "code": "jarak", "label": "Jarak ke sumber (m)", "kind": "integer",
        "subject": "household", "show_when_question": question.pk, "show_when_op": "in",
        "show_when_value": "pump,unprotected"})
    dependent = Question.objects.get(code="jarak")
    assert (dependent.show_when_question_id, dependent.condition_values) == (question.pk, ["pump", "unprotected"])
    # Moving the dependent question above its source is refused.
    client.post(f"/survei/formulir/{form.pk}/urutan/", {"what": "question", "id": dependent.pk, "direction": "up"})
    assert list(Question.objects.filter(form=form).values_list("code", flat=True)) == ["air", "jarak"]
    client.post(f"/survei/formulir/{form.pk}/status/", {"status": "published"})
    form.refresh_from_db()
    assert form.status == "published"


def test_the_builder_is_refused_to_surveyors_and_changes_nothing(cast, client_for, survey_form):
    before = (AuditEvent.objects.count(), Question.objects.count())
    client = client_for(cast["surveyor"])
    assert client.get("/survei/formulir/").status_code == 403
    assert client.post("/survei/formulir/", {"title": "X", "version": "1"}).status_code == 403
    section = Section.objects.filter(form=survey_form).first()
    assert client.post(f"/survei/formulir/{survey_form.pk}/pertanyaan/", {
        "section": section.pk, "code": "x", "label": "X", "kind": "text", "subject": "household"}).status_code == 403
    assert (AuditEvent.objects.count(), Question.objects.count()) == before


def test_export_writes_a_row_per_member_neutralises_formulas_and_is_audited(cast, survey_round, client_for):
    household = cast["households"]["rw1"]
    form = survey_round.form
    answers = full_answers(form, household, kebutuhan_utama=["lain"])
    answers[(q(form, "kebutuhan_lain").pk, None)] = "=HYPERLINK(\"x\")"
    services.response_save(actor=cast["surveyor"], survey_round=survey_round, household=household,
                           answers=answers, submit=True)
    client = client_for(cast["admin"])
    before = AuditEvent.objects.count()
    body = b"".join(client.get(f"/survei/putaran/{survey_round.pk}/ekspor.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 4
    assert {r["no_kk"] for r in rows} == {household.kk_number}
    assert rows[0]["kebutuhan_lain"] == "'=HYPERLINK(\"x\")"
    assert rows[0]["jenis_lantai"] == "Semen/bata merah"
    assert [r["status_pekerjaan"] for r in rows] == ["Pekerja lepas/serabutan", "Pekerja lepas/serabutan",
                                                     "Belum usia kerja", "Belum usia kerja"]
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert (event.action, event.changes) == ("survey.export", {"format": "csv", "responses": 1})
    xlsx = client.get(f"/survei/putaran/{survey_round.pk}/ekspor.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 5


def test_export_is_refused_to_surveyors_and_not_audited(cast, survey_round, client_for):
    before = AuditEvent.objects.count()
    assert client_for(cast["surveyor"]).get(f"/survei/putaran/{survey_round.pk}/ekspor.csv").status_code == 403
    assert AuditEvent.objects.count() == before


def test_round_pages_show_progress(cast, survey_round, client_for):
    page = client_for(cast["admin"]).get(f"/survei/putaran/{survey_round.pk}/")
    assert page.status_code == 200
    assert "Kemajuan per RW" in page.content.decode()
    assert client_for(cast["evaluator"]).get(f"/survei/putaran/{survey_round.pk}/").status_code == 403
    detail = client_for(cast["surveyor"]).get(f"/registri/keluarga/{cast['households']['rw1'].pk}/")
    assert "Survei" in detail.content.decode()
