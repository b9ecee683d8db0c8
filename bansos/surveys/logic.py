"""Answers as typed values: parsing what an officer typed, and the "show when" conditions.

Pure functions over questions and answer dicts, shared by the service (authoritative) and the
entry page (which re-renders a section with them while the officer types).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from bansos.surveys.models import Answer, ConditionOp, Question, QuestionKind, Subject

MSG_REQUIRED = _("Pertanyaan ini wajib dijawab.")
MSG_INTEGER = _("Tulis bilangan bulat dengan angka saja, misalnya 4 atau 2.500.000.")
MSG_DECIMAL = _("Tulis angka, misalnya 12,5.")
MSG_DATE = _("Tulis tanggal dengan format hari-bulan-tahun, misalnya 17-08-2025.")
MSG_CHOICE = _("Pilih salah satu pilihan yang tersedia.")
MSG_YES_NO = _("Pilih Ya atau Tidak.")
MSG_NEGATIVE = _("Tidak boleh negatif.")

YES, NO = "yes", "no"
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")

# Key of an answer in the dicts below: (question id, resident id or None).
Key = tuple[int, int | None]


class AnswerError(ValueError):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = str(message)


def parse_value(question: Question, raw: Any, choice_values: list[str]) -> Any:
    """The typed value of one answer, or None when empty; AnswerError when it cannot be read."""
    if isinstance(raw, (list, tuple)):
        items = [str(v).strip() for v in raw if str(v).strip()]
    else:
        items = None
        raw = "" if raw is None else str(raw).strip()
    kind = question.kind
    if kind == QuestionKind.MULTIPLE:
        values = items if items is not None else ([raw] if raw else [])
        if any(v not in choice_values for v in values):
            raise AnswerError(MSG_CHOICE)
        # Keep the form's order so exports and comparisons are stable.
        return [v for v in choice_values if v in values] or None
    if items is not None:
        raw = items[0] if items else ""
    if raw == "":
        return None
    if kind == QuestionKind.TEXT:
        return " ".join(raw.split())
    if kind == QuestionKind.INTEGER:
        text = re.sub(r"(?i)^rp\.?\s*", "", raw).replace(".", "").replace(" ", "")
        if not re.fullmatch(r"-?\d{1,15}", text):
            raise AnswerError(MSG_INTEGER)
        if int(text) < 0:
            raise AnswerError(MSG_NEGATIVE)
        return int(text)
    if kind == QuestionKind.DECIMAL:
        try:
            value = Decimal(raw.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise AnswerError(MSG_DECIMAL) from None
        if not value.is_finite() or abs(value) >= Decimal("1e15"):
            raise AnswerError(MSG_DECIMAL)
        return value
    if kind == QuestionKind.DATE:
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
        raise AnswerError(MSG_DATE)
    if kind == QuestionKind.YES_NO:
        if raw not in (YES, NO):
            raise AnswerError(MSG_YES_NO)
        return raw
    if raw not in choice_values:
        raise AnswerError(MSG_CHOICE)
    return raw


def condition_met(question: Question, answers: dict[Key, Any], resident_id: int | None) -> bool:
    """Whether ``question`` is asked, given the answers so far (for this member, if per member).

    A condition on an unanswered or hidden question is not met for "equals"/"in", and met for
    "not equals": a hidden question has no value, and "no value" is not the excluded one.
    """
    source_id = question.show_when_question_id
    if source_id is None:
        return True
    source = question.show_when_question
    key_resident = resident_id if source.subject == Subject.RESIDENT else None
    value = answers.get((source_id, key_resident))
    wanted = question.condition_values
    if isinstance(value, list):
        present = set(value)
    elif value is None:
        present = set()
    else:
        present = {str(value)}
    if question.show_when_op == ConditionOp.NOT_EQUALS:
        return wanted[0] not in present
    if question.show_when_op == ConditionOp.IN:
        return bool(present & set(wanted))
    return wanted[0] in present


def visible_answers(questions: list[Question], answers: dict[Key, Any], member_ids: list[int]) -> dict[Key, bool]:
    """Which (question, member) slots are asked, evaluated in form order so chains hide together."""
    shown: dict[Key, bool] = {}
    effective = dict(answers)
    for question in questions:
        slots = member_ids if question.subject == Subject.RESIDENT else [None]
        for resident_id in slots:
            key = (question.pk, resident_id)
            ok = condition_met(question, effective, resident_id)
            if ok and question.show_when_question_id:
                # A question that depends on one that is not asked is not asked either.
                src = question.show_when_question
                ok = shown.get((src.pk, resident_id if src.subject == Subject.RESIDENT else None), True)
            shown[key] = ok
            if not ok:
                effective.pop(key, None)
    return shown


def store(answer: Answer, question: Question, value: Any) -> None:
    """Put a typed value into the answer row's typed columns."""
    answer.value_text, answer.value_number, answer.value_date, answer.value_json = "", None, None, None
    if question.kind == QuestionKind.MULTIPLE:
        answer.value_json = list(value)
        answer.value_text = " " + " ".join(value) + " "
    elif question.kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
        answer.value_number = Decimal(value)
    elif question.kind == QuestionKind.DATE:
        answer.value_date = value
    else:
        answer.value_text = value


def load(answer: Answer, question: Question) -> Any:
    """The typed value of a stored answer."""
    if question.kind == QuestionKind.MULTIPLE:
        return list(answer.value_json or [])
    if question.kind == QuestionKind.INTEGER:
        return None if answer.value_number is None else int(answer.value_number)
    if question.kind == QuestionKind.DECIMAL:
        return None if answer.value_number is None else answer.value_number.normalize()
    if question.kind == QuestionKind.DATE:
        return answer.value_date
    return answer.value_text or None


def as_text(question: Question, value: Any, labels: dict[str, str] | None = None) -> str:
    """An answer as a person reads it (choice labels, dd-mm-yyyy dates, Ya/Tidak)."""
    if value is None or value == []:
        return ""
    if question.kind == QuestionKind.MULTIPLE:
        return "; ".join((labels or {}).get(v, v) for v in value)
    if question.kind == QuestionKind.SINGLE:
        return (labels or {}).get(value, value)
    if question.kind == QuestionKind.YES_NO:
        return "Ya" if value == YES else "Tidak"
    if question.kind == QuestionKind.DATE:
        return value.strftime("%d-%m-%Y")
    if question.kind == QuestionKind.DECIMAL:
        return format(value, "f")
    return str(value)
