from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from bansos.core.models import AuditEvent
from bansos.registry.models import Resident
from bansos.surveys import selectors, services
from bansos.surveys.models import Answer, Response
from tests.surveys.conftest import full_answers, q


def _save(cast, survey_round, household, answers, *, user="surveyor", submit=True):
    return services.response_save(actor=cast[user], survey_round=survey_round, household=household,
                                  answers=answers, submit=submit)


def test_it_submits_a_response_and_updates_the_registry_with_reason_and_audit(cast, survey_round):
    household = cast["households"]["rw1"]
    response = _save(cast, survey_round, household, full_answers(survey_round.form, household))
    assert response.status == "submitted"
    household.refresh_from_db()
    assert (household.floor_material, household.electricity_va, household.asset_motorbike,
            household.monthly_income) == ("cement", 900, True, 3_200_000)
    head = Resident.objects.get(household=household, relation="head")
    assert head.employment_status == "casual"
    update = AuditEvent.objects.filter(household_id=household.pk, action="household.update").get()
    assert update.reason == "Survei Baseline 2026"
    assert update.actor == cast["surveyor"]
    assert update.changes["floor_material"] == ["", "cement"]
    assert AuditEvent.objects.filter(household_id=household.pk, action="resident.update",
                                     reason="Survei Baseline 2026").count() == 4
    submitted = AuditEvent.objects.get(action="survey.response.submit")
    assert submitted.household_id == household.pk
    stored = Answer.objects.get(response=response, question=q(survey_round.form, "kebutuhan_utama"))
    assert (stored.value_json, stored.value_text) == (["modal", "sekolah"], " modal sekolah ")


def test_it_refuses_a_surveyor_of_another_rw_and_changes_nothing(cast, survey_round, client_for):
    household = cast["households"]["rw1"]
    before = (AuditEvent.objects.count(), Response.objects.count())
    with pytest.raises(PermissionDeniedError):
        _save(cast, survey_round, household, full_answers(survey_round.form, household), user="surveyor_other")
    household.refresh_from_db()
    assert household.floor_material == ""
    assert (AuditEvent.objects.count(), Response.objects.count()) == before
    client = client_for(cast["surveyor_other"])
    url = f"/survei/putaran/{survey_round.pk}/keluarga/{household.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "submit"}).status_code == 404
    assert (AuditEvent.objects.count(), Response.objects.count()) == before
    # The RT-scoped surveyor of RW 1 reaches RT 2 only.
    assert client_for(cast["surveyor_rt"]).get(url).status_code == 404
    assert client_for(cast["surveyor"]).get(url).status_code == 200


def test_it_refuses_roles_without_the_respond_permission(cast, survey_round, client_for):
    household = cast["households"]["rw1"]
    for name in ("officer", "cadre", "evaluator", "resident"):
        with pytest.raises(PermissionDeniedError):
            _save(cast, survey_round, household, full_answers(survey_round.form, household), user=name)
        assert client_for(cast[name]).get(f"/survei/putaran/{survey_round.pk}/isi/").status_code == 403
    assert Response.objects.count() == 0


def test_it_refuses_households_outside_the_round_targets(cast, survey_round):
    household = cast["households"]["rw2"]
    with pytest.raises(DomainError) as caught:
        _save(cast, survey_round, household, full_answers(survey_round.form, household), user="admin")
    assert caught.value.code == "household_not_target"
    assert Response.objects.count() == 0


def test_it_reports_missing_required_answers_and_bad_numbers_without_saving(cast, survey_round):
    household = cast["households"]["rw1"]
    form = survey_round.form
    answers = full_answers(form, household, penghasilan="dua juta")
    del answers[(q(form, "jenis_lantai").pk, None)]
    with pytest.raises(ValidationFailed) as caught:
        _save(cast, survey_round, household, answers)
    assert caught.value.errors == {
        f"q{q(form, 'penghasilan').pk}": ["Tulis bilangan bulat dengan angka saja, misalnya 4 atau 2.500.000."],
        f"q{q(form, 'jenis_lantai').pk}": ["Pertanyaan ini wajib dijawab."],
    }
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_a_hidden_question_is_not_required_and_loses_its_answer(cast, survey_round):
    household = cast["households"]["rw1"]
    form = survey_round.form
    other = q(form, "kebutuhan_lain")
    answers = full_answers(form, household, kebutuhan_utama=["modal", "lain"])
    with pytest.raises(ValidationFailed) as caught:
        _save(cast, survey_round, household, answers, submit=True)
    assert list(caught.value.errors) == [f"q{other.pk}"]
    answers[(other.pk, None)] = "Air bersih"
    response = _save(cast, survey_round, household, answers, submit=False)
    assert Answer.objects.get(response=response, question=other).value_text == "Air bersih"
    _save(cast, survey_round, household, {(q(form, "kebutuhan_utama").pk, None): ["modal"]}, submit=True)
    assert not Answer.objects.filter(response=response, question=other).exists()


def test_a_draft_leaves_the_registry_alone(cast, survey_round):
    household = cast["households"]["rw1"]
    response = _save(cast, survey_round, household, {(q(survey_round.form, "jenis_lantai").pk, None): "earth"},
                     submit=False)
    household.refresh_from_db()
    assert (response.status, household.floor_material) == ("draft", "")
    assert AuditEvent.objects.filter(action="survey.response.draft").count() == 1


def test_editing_a_submitted_response_is_audited_with_the_changes(cast, survey_round):
    household = cast["households"]["rw1"]
    form = survey_round.form
    _save(cast, survey_round, household, full_answers(form, household))
    _save(cast, survey_round, household, {(q(form, "jenis_lantai").pk, None): "tile"}, user="admin")
    event = AuditEvent.objects.get(action="survey.response.update")
    assert event.changes == {"jenis_lantai": ["Semen/bata merah", "Ubin/tegel/teraso"]}
    household.refresh_from_db()
    assert household.floor_material == "tile"
    assert Response.objects.count() == 1


def test_the_database_keeps_one_response_per_household_per_round(cast, survey_round):
    household = cast["households"]["rw1"]
    Response.objects.create(round=survey_round, household=household, status="submitted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(round=survey_round, household=household, status="submitted")


def test_a_closed_round_refuses_entries(cast, survey_round):
    services.round_set_status(actor=cast["admin"], survey_round=survey_round, status="closed")
    survey_round.refresh_from_db()
    household = cast["households"]["rw1"]
    with pytest.raises(DomainError) as caught:
        _save(cast, survey_round, household, full_answers(survey_round.form, household))
    assert caught.value.code == "round_not_open"


def test_progress_counts_submitted_households_per_rw(cast, survey_round, areas):
    form = survey_round.form
    household = cast["households"]["rw1"]
    _save(cast, survey_round, household, full_answers(form, household))
    other = cast["households"]["rw1_rt2"]
    _save(cast, survey_round, other, {(q(form, "jenis_lantai").pk, None): "earth"}, submit=False)
    assert selectors.round_progress(survey_round=survey_round) == [
        {"rw": 1, "surveyed": 1, "total": 2, "share": 0.5}]
    # A second round over the whole kelurahan counts RW 2 too and not the first round's response.
    from bansos.surveys.services import round_create
    import datetime as dt
    second = round_create(actor=cast["admin"], form=form, name="Tindak lanjut 1", kind="follow_up",
                          follow_up_number=1, period_start=dt.date(2026, 6, 1), period_end=dt.date(2026, 6, 30),
                          target_rws=[])
    assert selectors.round_progress(survey_round=second) == [
        {"rw": 1, "surveyed": 0, "total": 2, "share": 0.0}, {"rw": 2, "surveyed": 0, "total": 1, "share": 0.0}]


def test_needs_by_rw_counts_indicator_answers(cast, survey_round):
    form = survey_round.form
    first, second = cast["households"]["rw1"], cast["households"]["rw1_rt2"]
    _save(cast, survey_round, first, full_answers(form, first, kebutuhan_utama=["modal", "sekolah"]))
    _save(cast, survey_round, second, full_answers(form, second, kebutuhan_utama=["modal"]), user="admin")
    rows = selectors.survey_needs_by_rw()
    assert [(r["answer"], r["households"], r["share"]) for r in rows] == [
        ("Modal usaha", 2, 1.0), ("Pelatihan kerja", 0, 0.0), ("Biaya sekolah anak", 1, 0.5),
        ("Layanan kesehatan", 0, 0.0), ("Perbaikan rumah", 0, 0.0), ("Lainnya", 0, 0.0)]
    assert {(r["rw"], r["round"], r["question"]) for r in rows} == {(1, "Baseline 2026", "Kebutuhan utama keluarga")}


def test_needs_by_rw_is_empty_without_submissions(cast, survey_round):
    assert selectors.survey_needs_by_rw() == []
    assert selectors.survey_needs_by_rw(round=survey_round) == []


def test_the_registry_refusal_is_shown_on_the_question_and_nothing_is_kept(cast, survey_round):
    household = cast["households"]["rw1"]
    # A member whose stored NIK is wrong: the registry refuses to update that person.
    Resident.objects.filter(household=household, relation="head").update(nik="3173050000000000")
    form = survey_round.form
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        _save(cast, survey_round, household, full_answers(form, household))
    assert list(caught.value.errors) == ["__all__"]
    household.refresh_from_db()
    assert household.floor_material == ""
    assert Response.objects.count() == 0 and AuditEvent.objects.count() == before
