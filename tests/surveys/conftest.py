"""A published needs survey (the downloadable example XLSForm) and an open round over RW 1."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.surveys import services, xlsform
from bansos.surveys.models import Question


@pytest.fixture
def survey_form(cast):
    result = xlsform.form_import_xlsform(actor=cast["admin"], data=xlsform.example_bytes(), filename="contoh.xlsx")
    Question.objects.filter(form=result.form, code="kebutuhan_utama").update(is_need_indicator=True)
    return services.form_set_status(actor=cast["admin"], form=result.form, status="published")


@pytest.fixture
def survey_round(cast, areas, survey_form):
    survey_round = services.round_create(
        actor=cast["admin"], form=survey_form, name="Baseline 2026", kind="baseline",
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31), target_rws=[areas["rw1"]],
    )
    return services.round_set_status(actor=cast["admin"], survey_round=survey_round, status="open")


def q(form, code) -> Question:
    return Question.objects.get(form=form, code=code)


def full_answers(form, household, **overrides) -> dict:
    """Answers for every required question of the example form, keyed as the service expects."""
    members = list(household.residents.filter(status="active").order_by("birth_date", "pk"))
    answers = {
        (q(form, "jenis_lantai").pk, None): "cement",
        (q(form, "daya_listrik").pk, None): "900",
        (q(form, "punya_motor").pk, None): "yes",
        (q(form, "kebutuhan_utama").pk, None): ["modal", "sekolah"],
        (q(form, "penghasilan").pk, None): "3.200.000",
    }
    for member in members:
        answers[(q(form, "status_pekerjaan").pk, member.pk)] = "na" if member.birth_date.year > 2008 else "casual"
    for code, value in overrides.items():
        answers[(q(form, code).pk, None)] = value
    return answers
