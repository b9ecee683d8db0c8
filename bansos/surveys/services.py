"""Every write of the surveys app: building forms, rounds, and entering responses.

Each runs in a transaction with its audit event. A submitted response writes its mapped answers
to the registry through ``registry.services`` (validated and audited there, reason "Survei <round>"),
in the same transaction: if the registry refuses a value, nothing of the submission is stored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, ValidationFailed
from bansos.core.models import RW
from bansos.registry import services as registry_services
from bansos.registry.models import Household, HouseholdStatus, Resident, ResidentStatus
from bansos.surveys import logic
from bansos.surveys.mapping import TARGETS
from bansos.surveys.models import (
    CHOICE_KINDS, FORM_TRANSITIONS, ROUND_TRANSITIONS, Answer, Choice, ConditionOp, FormStatus, Question,
    QuestionKind, Response, ResponseStatus, RoundKind, RoundStatus, Section, Subject, SurveyForm, SurveyRound,
)
from bansos.surveys.selectors import questions_of, round_households

MSG_REQUIRED = _("Wajib diisi.")
MSG_FORM_LOCKED = _("Formulir yang sudah terbit atau diarsipkan tidak dapat diubah.")
MSG_CODE = _("Kode hanya boleh berisi huruf, angka dan garis bawah, diawali huruf (misalnya jenis_lantai).")
MSG_CODE_TAKEN = _("Kode ini sudah dipakai pertanyaan lain di formulir ini.")
MSG_VALUE = _("Nilai pilihan hanya boleh berisi huruf, angka, titik, garis bawah dan tanda hubung.")
MSG_VALUE_TAKEN = _("Nilai ini sudah ada pada pertanyaan ini.")
MSG_NO_CHOICES = _("Pertanyaan ini bukan pertanyaan pilihan.")
MSG_MAP_UNKNOWN = _("Kolom registri ini tidak dikenal.")
MSG_MAP_KIND = _("Kolom registri %(field)s membutuhkan jawaban berjenis %(kind)s.")
MSG_MAP_SUBJECT = _("Kolom registri %(field)s hanya untuk pertanyaan yang ditanyakan kepada: %(subject)s.")
MSG_MAP_CODE = _("Nilai pilihan untuk kolom registri %(field)s harus salah satu kode registri: %(codes)s.")
MSG_COND_SOURCE = _("Syarat tampil hanya boleh merujuk pertanyaan sebelumnya di formulir ini.")
MSG_COND_SUBJECT = _("Pertanyaan keluarga tidak dapat bergantung pada jawaban per anggota.")
MSG_COND_OP = _("Pilih jenis syarat dan isi nilainya.")
MSG_COND_VALUE = _("Nilai syarat bukan salah satu pilihan pertanyaan sumber: %(value)s.")
MSG_STATUS = _("Status tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_PUBLISH_EMPTY = _("Formulir belum memiliki pertanyaan.")
MSG_PUBLISH_CHOICES = _("Pertanyaan %(code)s belum memiliki pilihan jawaban.")
MSG_FORM_NOT_PUBLISHED = _("Pilih formulir yang sudah terbit.")
MSG_ROUND_NAME_TAKEN = _("Nama putaran ini sudah dipakai.")
MSG_PERIOD = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
MSG_FOLLOW_UP_NUMBER = _("Isi nomor tindak lanjut (1, 2, ...).")
MSG_ROUND_NOT_OPEN = _("Putaran survei ini tidak sedang berjalan; jawaban tidak dapat diisi.")
MSG_HOUSEHOLD_NOT_TARGET = _("Keluarga ini tidak termasuk sasaran putaran survei ini.")
MSG_RESPONDENT = _("Responden harus anggota aktif keluarga ini.")

_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
_VALUE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _add(errors: dict, key: str, message, /, **params) -> None:
    text = str(message)
    errors.setdefault(key, []).append(text % params if params else text)


def _require_draft(form: SurveyForm) -> None:
    if form.status != FormStatus.DRAFT:
        raise DomainError("form_locked", MSG_FORM_LOCKED)


# --- Forms ------------------------------------------------------------------------------------


def form_create(*, actor, title: str, description: str = "", version: int = 1) -> SurveyForm:
    """Start a new survey form in draft."""
    require(actor, P.SURVEY_DESIGN)
    title = " ".join((title or "").split())
    errors: dict = {}
    if not title:
        _add(errors, "title", MSG_REQUIRED)
    _raise(errors)
    with transaction.atomic():
        form = SurveyForm.objects.create(title=title, description=(description or "").strip(),
                                         version=max(1, int(version or 1)), created_by=actor)
        audit_log(actor=actor, action="survey.form.create", obj=form, changes={"title": [None, title]})
    return form


def form_set_status(*, actor, form: SurveyForm, status: str) -> SurveyForm:
    """Publish or archive a form; publishing checks that it can be answered."""
    require(actor, P.SURVEY_DESIGN)
    new = FormStatus(status)
    with transaction.atomic():
        locked = SurveyForm.objects.select_for_update().get(pk=form.pk)
        old = FormStatus(locked.status)
        if new not in FORM_TRANSITIONS[old]:
            raise DomainError("status_transition", MSG_STATUS, field="status", old=old.label, new=new.label)
        if new == FormStatus.PUBLISHED:
            _check_complete(locked)
        locked.status = new
        locked.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, action="survey.form.status", obj=locked, changes={"status": [old.value, new.value]})
    return locked


def _check_complete(form: SurveyForm) -> None:
    questions = questions_of(form.pk)
    if not questions:
        raise DomainError("form_empty", MSG_PUBLISH_EMPTY)
    errors: dict = {}
    for question in questions:
        if question.has_choices and not question.choices.all():
            _add(errors, "__all__", MSG_PUBLISH_CHOICES, code=question.code)
    _raise(errors)


def section_add(*, actor, form: SurveyForm, title: str) -> Section:
    """Add a section at the end of a draft form."""
    require(actor, P.SURVEY_DESIGN)
    _require_draft(form)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationFailed({"title": [str(MSG_REQUIRED)]})
    with transaction.atomic():
        last = Section.objects.filter(form=form).aggregate(m=Max("order"))["m"]
        section = Section.objects.create(form=form, title=title, order=(last or 0) + 1)
        audit_log(actor=actor, action="survey.form.change", obj=form, changes={"section": [None, title]})
    return section


def _move(model, obj, siblings, direction: str) -> None:
    items = list(siblings.order_by("order", "id"))
    index = next(i for i, item in enumerate(items) if item.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.order != position:
            model.objects.filter(pk=item.pk).update(order=position)


def section_move(*, actor, section: Section, direction: str) -> None:
    """Move a section one place up or down."""
    require(actor, P.SURVEY_DESIGN)
    _require_draft(section.form)
    with transaction.atomic():
        _move(Section, section, Section.objects.filter(form_id=section.form_id), direction)
        _check_condition_order(section.form)
        audit_log(actor=actor, action="survey.form.change", obj=section.form,
                  changes={"section_moved": [section.title, direction]})


def question_move(*, actor, question: Question, direction: str) -> None:
    """Move a question one place up or down within its section."""
    require(actor, P.SURVEY_DESIGN)
    _require_draft(question.form)
    with transaction.atomic():
        _move(Question, question, Question.objects.filter(section_id=question.section_id), direction)
        _check_condition_order(question.form)
        audit_log(actor=actor, action="survey.form.change", obj=question.form,
                  changes={"question_moved": [question.code, direction]})


def _check_condition_order(form: SurveyForm) -> None:
    """Refuse an order in which a question would come before the question it depends on."""
    seen: set[int] = set()
    for question in questions_of(form.pk):
        if question.show_when_question_id and question.show_when_question_id not in seen:
            raise DomainError("condition_order", MSG_COND_SOURCE)
        seen.add(question.pk)


def _check_question(form: SurveyForm, data: dict[str, Any], errors: dict, *, earlier: list[Question]) -> dict:
    """Check a question's own fields and its condition; return the cleaned values."""
    clean = {
        "code": (data.get("code") or "").strip(),
        "label": " ".join((data.get("label") or "").split()),
        "kind": data.get("kind") or "",
        "required": bool(data.get("required")),
        "hint": " ".join((data.get("hint") or "").split()),
        "subject": data.get("subject") or Subject.HOUSEHOLD,
        "maps_to": (data.get("maps_to") or "").strip(),
        "is_need_indicator": bool(data.get("is_need_indicator")),
        "show_when_question": data.get("show_when_question"),
        "show_when_op": data.get("show_when_op") or "",
        "show_when_value": (data.get("show_when_value") or "").strip(),
    }
    if not clean["code"]:
        _add(errors, "code", MSG_REQUIRED)
    elif not _CODE.match(clean["code"]):
        _add(errors, "code", MSG_CODE)
    elif Question.objects.filter(form=form, code=clean["code"]).exists():
        _add(errors, "code", MSG_CODE_TAKEN)
    if not clean["label"]:
        _add(errors, "label", MSG_REQUIRED)
    if clean["kind"] not in QuestionKind.values:
        _add(errors, "kind", MSG_REQUIRED)
    if clean["subject"] not in Subject.values:
        _add(errors, "subject", MSG_REQUIRED)
    if clean["maps_to"]:
        target = TARGETS.get(clean["maps_to"])
        if target is None:
            _add(errors, "maps_to", MSG_MAP_UNKNOWN)
        else:
            if target.kind != clean["kind"]:
                _add(errors, "maps_to", MSG_MAP_KIND, field=target.label, kind=QuestionKind(target.kind).label)
            if target.subject != clean["subject"]:
                _add(errors, "maps_to", MSG_MAP_SUBJECT, field=target.label, subject=Subject(target.subject).label)
    source = clean["show_when_question"]
    if source is not None:
        if source.form_id != form.pk or source.pk not in {q.pk for q in earlier}:
            _add(errors, "show_when_question", MSG_COND_SOURCE)
        elif source.subject == Subject.RESIDENT and clean["subject"] == Subject.HOUSEHOLD:
            _add(errors, "show_when_question", MSG_COND_SUBJECT)
        if clean["show_when_op"] not in ConditionOp.values or not clean["show_when_value"]:
            _add(errors, "show_when_op", MSG_COND_OP)
        elif source.form_id == form.pk:
            _check_condition_values(source, clean, errors)
    else:
        clean["show_when_op"], clean["show_when_value"] = "", ""
    return clean


def _check_condition_values(source: Question, clean: dict, errors: dict) -> None:
    values = [v.strip() for v in clean["show_when_value"].split(",")] if clean["show_when_op"] == ConditionOp.IN \
        else [clean["show_when_value"]]
    if source.kind in CHOICE_KINDS:
        allowed = {c.value for c in source.choices.all()}
    elif source.kind == QuestionKind.YES_NO:
        allowed = {logic.YES, logic.NO}
    else:
        return
    for value in values:
        if value not in allowed:
            _add(errors, "show_when_value", MSG_COND_VALUE, value=value)


def question_add(*, actor, section: Section, data: dict[str, Any]) -> Question:
    """Add a question at the end of a section; a mapped choice question gets the registry's codes."""
    require(actor, P.SURVEY_DESIGN)
    form = section.form
    _require_draft(form)
    errors: dict = {}
    earlier = [q for q in questions_of(form.pk)
               if (q.section.order, q.section_id) <= (section.order, section.pk)]
    clean = _check_question(form, data, errors, earlier=earlier)
    _raise(errors)
    with transaction.atomic():
        last = Question.objects.filter(section=section).aggregate(m=Max("order"))["m"]
        question = Question.objects.create(form=form, section=section, order=(last or 0) + 1, **clean)
        target = TARGETS.get(question.maps_to)
        if target is not None and target.choices is not None:
            Choice.objects.bulk_create([
                Choice(question=question, order=i, value=str(value), label=str(label))
                for i, (value, label) in enumerate(target.choices.choices, start=1)
            ])
        audit_log(actor=actor, action="survey.form.change", obj=form,
                  changes={"question": [None, question.code]})
    return question


def question_delete(*, actor, question: Question) -> None:
    """Remove a question of a draft form (and its choices); refused while others depend on it."""
    require(actor, P.SURVEY_DESIGN)
    _require_draft(question.form)
    if question.dependents.exists():
        raise DomainError("question_has_dependents", _("Pertanyaan lain bergantung pada pertanyaan ini."))
    with transaction.atomic():
        code = question.code
        question.delete()
        audit_log(actor=actor, action="survey.form.change", obj=question.form, changes={"question": [code, None]})


def check_choice(question: Question, value: str, label: str, errors: dict, *, taken: set[str]) -> None:
    if not question.has_choices:
        _add(errors, "value", MSG_NO_CHOICES)
        return
    if not _VALUE.match(value):
        _add(errors, "value", MSG_VALUE)
    elif value in taken:
        _add(errors, "value", MSG_VALUE_TAKEN)
    if not label:
        _add(errors, "label", MSG_REQUIRED)
    target = TARGETS.get(question.maps_to)
    if target is not None and target.choices is not None and value not in target.codes():
        _add(errors, "value", MSG_MAP_CODE, field=target.label, codes=", ".join(target.codes()))


def choice_add(*, actor, question: Question, value: str, label: str) -> Choice:
    """Add a choice at the end of a choice question; mapped questions accept registry codes only."""
    require(actor, P.SURVEY_DESIGN)
    _require_draft(question.form)
    value, label = (value or "").strip(), " ".join((label or "").split())
    errors: dict = {}
    check_choice(question, value, label, errors, taken=set(question.choices.values_list("value", flat=True)))
    _raise(errors)
    with transaction.atomic():
        last = question.choices.aggregate(m=Max("order"))["m"]
        choice = Choice.objects.create(question=question, value=value, label=label, order=(last or 0) + 1)
        audit_log(actor=actor, action="survey.form.change", obj=question.form,
                  changes={"choice": [None, f"{question.code}={value}"]})
    return choice


# --- Rounds -----------------------------------------------------------------------------------


def round_create(*, actor, form: SurveyForm, name: str, kind: str, period_start: dt.date, period_end: dt.date,
                 target_rws: list[RW], follow_up_number: int | None = None) -> SurveyRound:
    """Open a new round of a published form for some RWs (none: the whole kelurahan)."""
    require(actor, P.SURVEY_DESIGN)
    name = " ".join((name or "").split())
    errors: dict = {}
    if form is None or form.status != FormStatus.PUBLISHED:
        _add(errors, "form", MSG_FORM_NOT_PUBLISHED)
    if not name:
        _add(errors, "name", MSG_REQUIRED)
    elif SurveyRound.objects.filter(name__iexact=name).exists():
        _add(errors, "name", MSG_ROUND_NAME_TAKEN)
    if period_start and period_end and period_end < period_start:
        _add(errors, "period_end", MSG_PERIOD)
    if kind == RoundKind.FOLLOW_UP and not follow_up_number:
        _add(errors, "follow_up_number", MSG_FOLLOW_UP_NUMBER)
    _raise(errors)
    with transaction.atomic():
        survey_round = SurveyRound.objects.create(
            form=form, name=name, kind=kind, period_start=period_start, period_end=period_end,
            follow_up_number=follow_up_number if kind == RoundKind.FOLLOW_UP else None, created_by=actor,
        )
        survey_round.target_rws.set(target_rws)
        audit_log(actor=actor, action="survey.round.create", obj=survey_round,
                  changes={"form": [None, str(form)], "target_rws": [None, sorted(rw.number for rw in target_rws)]})
    return survey_round


def round_set_status(*, actor, survey_round: SurveyRound, status: str) -> SurveyRound:
    """Open, close or reopen a round."""
    require(actor, P.SURVEY_DESIGN)
    new = RoundStatus(status)
    with transaction.atomic():
        locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
        old = RoundStatus(locked.status)
        if new not in ROUND_TRANSITIONS[old]:
            raise DomainError("status_transition", MSG_STATUS, field="status", old=old.label, new=new.label)
        locked.status = new
        locked.save(update_fields=["status"])
        audit_log(actor=actor, action="survey.round.status", obj=locked, changes={"status": [old.value, new.value]})
    return locked


# --- Responses --------------------------------------------------------------------------------


def field_name(question: Question, resident_id: int | None) -> str:
    """The input name of a (question, member) slot on the entry page, also the error key."""
    return f"q{question.pk}" if resident_id is None else f"q{question.pk}_r{resident_id}"


def _members(household: Household) -> list[Resident]:
    members = getattr(household, "members", None)
    if members is None:
        members = list(household.residents.filter(status=ResidentStatus.ACTIVE).order_by("birth_date", "pk"))
    return members


def response_evaluate(*, questions: list[Question], members: list[Resident], stored: dict[logic.Key, Any],
                      raw: dict[logic.Key, Any]) -> tuple[dict[logic.Key, Any], dict[logic.Key, bool], dict]:
    """Merge typed stored answers with newly typed raw ones: (values, visibility, errors by field name)."""
    by_id = {q.pk: q for q in questions}
    values = dict(stored)
    errors: dict[str, list[str]] = {}
    for key, text in raw.items():
        question = by_id.get(key[0])
        if question is None:
            continue
        try:
            values[key] = logic.parse_value(question, text, [c.value for c in question.choices.all()])
        except logic.AnswerError as exc:
            errors[field_name(question, key[1])] = [exc.message]
            values.pop(key, None)
    visible = logic.visible_answers(questions, values, [m.pk for m in members])
    return values, visible, errors


def stored_answers(response: Response | None, questions: list[Question]) -> dict[logic.Key, Any]:
    if response is None:
        return {}
    by_id = {q.pk: q for q in questions}
    out = {}
    for answer in response.answers.all():
        question = by_id.get(answer.question_id)
        if question is not None:
            out[(answer.question_id, answer.resident_id)] = logic.load(answer, question)
    return out


def response_save(
    *, actor, survey_round: SurveyRound, household: Household, answers: dict[logic.Key, Any],
    submit: bool = False, required_section: int | None = None, respondent: Resident | None = None,
) -> Response:
    """Save a household's answers as a draft, or submit them (all required answers present).

    ``answers`` maps (question id, resident id or None) to what was typed; other answers stay as
    stored. ``required_section`` also checks the required questions of that section (moving on
    to the next section). Hidden questions lose their answers. Submitting writes mapped answers
    to the registry. Editing a response that was already submitted is audited with the changes.
    """
    require(actor, P.SURVEY_RESPOND, household)
    if survey_round.status != RoundStatus.OPEN:
        raise DomainError("round_not_open", MSG_ROUND_NOT_OPEN)
    if household.status != HouseholdStatus.ACTIVE or not Household.objects.filter(
        round_households(survey_round), pk=household.pk
    ).exists():
        raise DomainError("household_not_target", MSG_HOUSEHOLD_NOT_TARGET)
    members = _members(household)
    if respondent is not None and respondent.pk not in {m.pk for m in members}:
        raise ValidationFailed({"respondent": [str(MSG_RESPONDENT)]})
    questions = questions_of(survey_round.form_id)
    member_ids = [m.pk for m in members]
    try:
        with transaction.atomic():
            response = _lock_response(survey_round, household, actor)
            before = stored_answers(response, questions)
            values, visible, errors = response_evaluate(questions=questions, members=members, stored=before,
                                                        raw=answers)
            for question in questions:
                if not question.required or not (submit or question.section_id == required_section):
                    continue
                for resident_id in (member_ids if question.subject == Subject.RESIDENT else [None]):
                    key = (question.pk, resident_id)
                    if visible.get(key) and values.get(key) in (None, [], "") and field_name(
                        question, resident_id
                    ) not in errors:
                        errors[field_name(question, resident_id)] = [str(logic.MSG_REQUIRED)]
            _raise(errors)
            was_submitted = response.status == ResponseStatus.SUBMITTED
            after = _write_answers(response, questions, values, visible, member_ids)
            changes = _answer_changes(questions, before, after, members)
            if respondent is not None:
                response.respondent = respondent
            response.entered_by = response.entered_by or actor
            if submit:
                response.status = ResponseStatus.SUBMITTED
                response.submitted_at = response.submitted_at or timezone.now()
            response.save()
            if submit:
                _apply_to_registry(actor, survey_round, household, questions, after, members)
            if was_submitted:
                action = "survey.response.update"
            else:
                action = "survey.response.submit" if submit else "survey.response.draft"
            if changes or action != "survey.response.update":
                audit_log(actor=actor, action=action, obj=response,
                          object_label=f"Survei {survey_round.name}", household_id=household.pk, changes=changes,
                          reason=f"Survei {survey_round.name}")
    except IntegrityError:
        # Two officers started the same household at once; the constraint kept one response.
        raise DomainError("response_race", _("Jawaban keluarga ini baru saja disimpan petugas lain; muat ulang halaman."))
    return response


def _lock_response(survey_round, household, actor) -> Response:
    response = (
        Response.objects.select_for_update().filter(round=survey_round, household=household)
        .prefetch_related("answers").first()
    )
    if response is None:
        response = Response.objects.create(round=survey_round, household=household, entered_by=actor)
        response._prefetched_objects_cache = {"answers": Answer.objects.none()}
    return response


def _write_answers(response, questions, values, visible, member_ids) -> dict[logic.Key, Any]:
    existing = {(a.question_id, a.resident_id): a for a in response.answers.all()}
    by_id = {q.pk: q for q in questions}
    kept: dict[logic.Key, Any] = {}
    to_delete = []
    for key, answer in existing.items():
        if not visible.get(key) or values.get(key) in (None, []):
            to_delete.append(answer.pk)
    for key, value in values.items():
        question = by_id.get(key[0])
        if question is None or not visible.get(key) or value in (None, []):
            continue
        if question.subject == Subject.RESIDENT and key[1] not in member_ids:
            continue
        answer = existing.get(key) or Answer(response=response, question=question, resident_id=key[1])
        logic.store(answer, question, value)
        answer.save()
        kept[key] = value
    if to_delete:
        Answer.objects.filter(pk__in=to_delete).delete()
    return kept


def _answer_changes(questions, before, after, members) -> dict[str, list[str]]:
    names = {m.pk: m.full_name for m in members}
    changes = {}
    for question in questions:
        labels = {c.value: c.label for c in question.choices.all()}
        keys = {k for k in (*before, *after) if k[0] == question.pk}
        for key in sorted(keys, key=lambda k: (k[1] or 0)):
            old = logic.as_text(question, before.get(key), labels)
            new = logic.as_text(question, after.get(key), labels)
            if old != new:
                label = question.code if key[1] is None else f"{question.code} ({names.get(key[1], key[1])})"
                changes[label] = [old or None, new or None]
    return changes


def _apply_to_registry(actor, survey_round, household, questions, values, members) -> None:
    reason = f"Survei {survey_round.name}"
    household_data: dict[str, Any] = {}
    household_fields: dict[str, str] = {}
    member_data: dict[int, dict[str, Any]] = {}
    member_fields: dict[int, dict[str, str]] = {}
    for question in questions:
        target = TARGETS.get(question.maps_to)
        if target is None:
            continue
        if question.subject == Subject.HOUSEHOLD:
            key = (question.pk, None)
            if key in values:
                household_data[target.field] = target.to_field_value(values[key])
                household_fields[target.field] = field_name(question, None)
        else:
            for member in members:
                key = (question.pk, member.pk)
                if key in values:
                    member_data.setdefault(member.pk, {})[target.field] = target.to_field_value(values[key])
                    member_fields.setdefault(member.pk, {})[target.field] = field_name(question, member.pk)
    if household_data:
        _registry_call(household_fields, registry_services.household_update, actor=actor, household=household,
                       data=household_data, reason=reason)
    for member in members:
        if member.pk in member_data:
            _registry_call(member_fields[member.pk], registry_services.resident_update, actor=actor,
                           resident=member, data=member_data[member.pk], reason=reason)


def _registry_call(fields: dict[str, str], service, **kwargs) -> None:
    try:
        service(**kwargs)
    except ValidationFailed as exc:
        # Put the registry's refusal next to the question that carried the value.
        raise ValidationFailed({fields.get(k, "__all__"): v for k, v in exc.errors.items()}) from exc
