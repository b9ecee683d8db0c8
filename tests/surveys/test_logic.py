from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bansos.surveys import logic
from bansos.surveys.models import Question


def _q(pk, kind="single", subject="household", source=None, op="", value=""):
    question = Question(pk=pk, code=f"q{pk}", label="", kind=kind, subject=subject,
                        show_when_op=op, show_when_value=value)
    if source is not None:
        question.show_when_question = source
    return question


def test_show_when_equals_not_equals_and_in():
    a = _q(1)
    eq, ne, within = _q(2, source=a, op="eq", value="x"), _q(3, source=a, op="ne", value="x"), \
        _q(4, source=a, op="in", value="x, y")
    assert [logic.condition_met(c, {(1, None): "x"}, None) for c in (eq, ne, within)] == [True, False, True]
    assert [logic.condition_met(c, {(1, None): "y"}, None) for c in (eq, ne, within)] == [False, True, True]
    assert [logic.condition_met(c, {}, None) for c in (eq, ne, within)] == [False, True, False]


def test_show_when_on_multiple_choice_and_per_member():
    many = _q(1, kind="multiple")
    dep = _q(2, source=many, op="in", value="lain")
    assert logic.condition_met(dep, {(1, None): ["modal", "lain"]}, None) is True
    member = _q(3, subject="resident")
    per = _q(4, subject="resident", source=member, op="eq", value="yes")
    answers = {(3, 10): "yes", (3, 11): "no"}
    assert logic.visible_answers([member, per], answers, [10, 11]) == {
        (3, 10): True, (3, 11): True, (4, 10): True, (4, 11): False}


def test_a_question_depending_on_a_hidden_one_is_hidden():
    a = _q(1)
    b = _q(2, source=a, op="eq", value="x")
    c = _q(3, source=b, op="ne", value="z")
    assert logic.visible_answers([a, b, c], {(1, None): "y", (2, None): "stale"}, []) == {
        (1, None): True, (2, None): False, (3, None): False}


@pytest.mark.parametrize("kind,raw,expected", [
    ("integer", "2.500.000", 2_500_000), ("integer", "Rp 300.000", 300_000), ("decimal", "12,5", Decimal("12.5")),
    ("date", "17-08-2025", dt.date(2025, 8, 17)), ("date", "2025-08-17", dt.date(2025, 8, 17)),
    ("text", "  dua   kata ", "dua kata"), ("yesno", "yes", "yes"), ("integer", "", None),
])
def test_it_parses_typed_answers(kind, raw, expected):
    assert logic.parse_value(_q(1, kind=kind), raw, []) == expected


@pytest.mark.parametrize("kind,raw,message", [
    ("integer", "dua", logic.MSG_INTEGER), ("integer", "-5", logic.MSG_NEGATIVE), ("decimal", "1,2,3", logic.MSG_DECIMAL),
    ("date", "31-02-2025", logic.MSG_DATE), ("single", "z", logic.MSG_CHOICE), ("yesno", "mungkin", logic.MSG_YES_NO),
])
def test_it_refuses_unreadable_answers_with_an_indonesian_message(kind, raw, message):
    with pytest.raises(logic.AnswerError) as caught:
        logic.parse_value(_q(1, kind=kind), raw, ["a", "b"])
    assert caught.value.message == str(message)


def test_multiple_choice_keeps_the_form_order_and_refuses_unknown_values():
    question = _q(1, kind="multiple")
    assert logic.parse_value(question, ["c", "a"], ["a", "b", "c"]) == ["a", "c"]
    with pytest.raises(logic.AnswerError):
        logic.parse_value(question, ["a", "x"], ["a", "b", "c"])
