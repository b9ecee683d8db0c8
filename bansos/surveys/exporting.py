"""Export a round's responses: one row per response, or per member when the form asks members.

Personal data leaves the platform, so every export is an audit event; text cells that a
spreadsheet would run as formulas are neutralised like the registry export.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.formats import tanggal
from bansos.registry.exporting import neutralise
from bansos.registry.models import Resident
from bansos.surveys import logic
from bansos.surveys.models import Answer, Response, Subject, SurveyRound
from bansos.surveys.selectors import questions_of

FORMATS = ("csv", "xlsx")
BASE_HEADERS = ["putaran", "no_kk", "rt", "rw", "status", "petugas", "diperbarui", "dikirim", "nik_anggota",
                "nama_anggota"]


def _rows(survey_round: SurveyRound) -> tuple[list[str], Iterator[list[Any]]]:
    questions = questions_of(survey_round.form_id)
    household_qs = [q for q in questions if q.subject == Subject.HOUSEHOLD]
    member_qs = [q for q in questions if q.subject == Subject.RESIDENT]
    labels = {q.pk: {c.value: c.label for c in q.choices.all()} for q in questions}
    headers = BASE_HEADERS + [q.code for q in household_qs] + [q.code for q in member_qs]
    by_id = {q.pk: q for q in questions}

    def rows() -> Iterator[list[Any]]:
        responses = (
            Response.objects.filter(round=survey_round)
            .select_related("household__rt__rw", "entered_by")
            .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("resident")))
            .order_by("household__kk_number", "pk")
        )
        for response in responses.iterator(chunk_size=500):
            values: dict[logic.Key, str] = {}
            people: dict[int, Resident] = {}
            for answer in response.answers.all():
                question = by_id.get(answer.question_id)
                if question is None:
                    continue
                values[(answer.question_id, answer.resident_id)] = logic.as_text(
                    question, logic.load(answer, question), labels[question.pk])
                if answer.resident_id:
                    people[answer.resident_id] = answer.resident
            household = response.household
            base = [
                survey_round.name, household.kk_number, household.rt.number, household.rt.rw.number,
                response.get_status_display(), response.entered_by.get_username() if response.entered_by else "",
                tanggal(response.updated_at, with_time=True),
                tanggal(response.submitted_at, with_time=True) if response.submitted_at else "",
            ]
            household_cells = [values.get((q.pk, None), "") for q in household_qs]
            if not member_qs or not people:
                yield [neutralise(v) for v in base + ["", ""] + household_cells + ["" for _q in member_qs]]
                continue
            for resident_id, person in sorted(people.items(), key=lambda kv: (kv[1].birth_date, kv[0])):
                member_cells = [values.get((q.pk, resident_id), "") for q in member_qs]
                yield [neutralise(v) for v in base + [person.nik, person.full_name] + household_cells + member_cells]

    return headers, rows()


def responses_export(*, actor, survey_round: SurveyRound, fmt: str) -> tuple[str, bytes | Iterator[str]]:
    """Record the export in the audit trail and return (format, CSV lines or XLSX bytes)."""
    require(actor, P.SURVEY_EXPORT)
    fmt = fmt if fmt in FORMATS else "csv"
    with transaction.atomic():
        count = Response.objects.filter(round=survey_round).count()
        audit_log(actor=actor, action="survey.export", obj=survey_round,
                  changes={"format": fmt, "responses": count})
    headers, rows = _rows(survey_round)
    if fmt == "csv":
        return fmt, _csv_lines(headers, rows)
    return fmt, _xlsx(headers, rows)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(headers: list[str], rows: Iterator[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row in rows:
        yield writer.writerow(row)


def _xlsx(headers: list[str], rows: Iterator[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("jawaban")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle)
        handle.seek(0)
        return handle.read()


def csv_text(lines: Iterator[str]) -> str:
    out = io.StringIO()
    for line in lines:
        out.write(line)
    return out.getvalue()
