"""Reads of surveys: forms, rounds, progress per RW, responses, and needs per RW for the needs page."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from bansos.accounts.permissions import P, has_perm, household_scope
from bansos.core.errors import NotFoundError
from bansos.registry.models import Household, HouseholdStatus, Resident, ResidentStatus
from bansos.surveys.models import (
    CHOICE_KINDS, Answer, Choice, Question, QuestionKind, Response, ResponseStatus, RoundStatus, Section,
    SurveyForm, SurveyRound,
)


# --- Forms ------------------------------------------------------------------------------------


def form_list() -> QuerySet[SurveyForm]:
    return SurveyForm.objects.annotate(
        n_questions=Count("questions", distinct=True), n_rounds=Count("rounds", distinct=True)
    ).order_by("-created_at", "-id")


def questions_of(form_id: int) -> list[Question]:
    """The form's questions in form order with their choices and condition sources, in 3 queries."""
    return list(
        Question.objects.filter(form_id=form_id)
        .select_related("section", "show_when_question")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "id")))
        .order_by("section__order", "section_id", "order", "id")
    )


def form_get(pk: int) -> SurveyForm:
    try:
        form = SurveyForm.objects.get(pk=pk)
    except SurveyForm.DoesNotExist:
        raise NotFoundError() from None
    questions = questions_of(form.pk)
    sections = list(Section.objects.filter(form=form).order_by("order", "id"))
    by_section: dict[int, list[Question]] = {}
    for question in questions:
        by_section.setdefault(question.section_id, []).append(question)
    for section in sections:
        section.question_list = by_section.get(section.pk, [])
    form.section_list = sections
    form.question_list = questions
    return form


# --- Rounds -----------------------------------------------------------------------------------


def round_list() -> QuerySet[SurveyRound]:
    return SurveyRound.objects.select_related("form").prefetch_related("target_rws").annotate(
        n_submitted=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED))
    ).order_by("-period_start", "-id")


def round_get(pk: int) -> SurveyRound:
    try:
        return SurveyRound.objects.select_related("form").prefetch_related("target_rws").get(pk=pk)
    except SurveyRound.DoesNotExist:
        raise NotFoundError() from None


def round_households(survey_round: SurveyRound) -> Q:
    """A filter on Household: active households in the round's target RWs (all RWs when none)."""
    rw_ids = [rw.pk for rw in survey_round.target_rws.all()]
    scope = Q(status=HouseholdStatus.ACTIVE)
    return scope & Q(rt__rw_id__in=rw_ids) if rw_ids else scope


def round_progress(*, survey_round: SurveyRound, user=None) -> list[dict]:
    """Per RW: households with a submitted response / active households in scope, in one query.

    An EXISTS per household rather than a join: the join would multiply households by their
    responses in other rounds and need COUNT(DISTINCT), which is several times slower.
    """
    scope = round_households(survey_round)
    if user is not None:
        scope &= household_scope(user)
    submitted = Response.objects.filter(
        round=survey_round, status=ResponseStatus.SUBMITTED, household_id=OuterRef("pk"))
    rows = (
        Household.objects.filter(scope)
        .annotate(done=Exists(submitted))
        .values("rt__rw__number")
        .annotate(total=Count("id"), surveyed=Count("id", filter=Q(done=True)))
        .order_by("rt__rw__number")
    )
    return [
        {"rw": row["rt__rw__number"], "surveyed": row["surveyed"], "total": row["total"],
         "share": row["surveyed"] / row["total"] if row["total"] else 0.0}
        for row in rows
    ]


def progress_totals(rows: list[dict]) -> dict:
    surveyed = sum(r["surveyed"] for r in rows)
    total = sum(r["total"] for r in rows)
    return {"surveyed": surveyed, "total": total, "share": surveyed / total if total else 0.0}


# --- Entry ------------------------------------------------------------------------------------


def entry_household_get(*, user, survey_round: SurveyRound, household_id: int) -> Household:
    """A household the user may survey in this round, with its active members; NotFound otherwise.

    Out of scope looks the same as missing, so household ids cannot be probed.
    """
    members = Resident.objects.filter(status=ResidentStatus.ACTIVE).order_by("birth_date", "pk")
    household = (
        Household.objects.filter(round_households(survey_round), household_scope(user), pk=household_id)
        .select_related("rt__rw")
        .prefetch_related(Prefetch("residents", queryset=members, to_attr="members"))
        .first()
    )
    if household is None or not has_perm(user, P.SURVEY_RESPOND, household):
        raise NotFoundError()
    return household


def response_for(*, survey_round: SurveyRound, household: Household) -> Response | None:
    return (
        Response.objects.filter(round=survey_round, household=household)
        .prefetch_related("answers")
        .first()
    )


def responses_by_household(*, survey_round: SurveyRound, household_ids: list[int]) -> dict[int, Response]:
    return {r.household_id: r for r in Response.objects.filter(round=survey_round, household_id__in=household_ids)}


def household_responses(*, household: Household) -> QuerySet[Response]:
    """A household's responses across rounds, newest first (for its page)."""
    return Response.objects.filter(household=household).select_related("round", "entered_by").order_by(
        "-updated_at", "-id"
    )


# --- Needs per RW -----------------------------------------------------------------------------


def latest_round_with_submissions() -> SurveyRound | None:
    return (
        SurveyRound.objects.filter(responses__status=ResponseStatus.SUBMITTED)
        .exclude(status=RoundStatus.PLANNED)
        .order_by("-period_end", "-id")
        .distinct()
        .first()
    )


def survey_needs_by_rw(*, round: SurveyRound | None = None) -> list[dict]:  # noqa: A002 - the agreed name
    """Needs found by a survey round, per RW: for each need-indicator choice question and each of
    its choices, how many surveyed households answered it (any member, for per-member questions)
    and their share of the households surveyed in that RW.

    Rows: ``{"rw", "round", "question", "answer", "households", "share"}``, by RW then question
    order then choice order. Aggregates only, no personal data. Uses the latest round with
    submitted responses when ``round`` is None; an empty list when there is none.
    """
    survey_round = round or latest_round_with_submissions()
    if survey_round is None:
        return []
    submitted = Q(response__round=survey_round, response__status=ResponseStatus.SUBMITTED)
    surveyed = dict(
        Response.objects.filter(round=survey_round, status=ResponseStatus.SUBMITTED)
        .values("household__rt__rw__number")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("household__rt__rw__number", "n")
    )
    questions = list(
        Question.objects.filter(form_id=survey_round.form_id, is_need_indicator=True, kind__in=CHOICE_KINDS)
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "id")))
        .order_by("section__order", "section_id", "order", "id")
    )
    rows: list[dict] = []
    for question in questions:
        choices = list(question.choices.all())
        if not choices:
            continue
        # One GROUP BY per question: a conditional count per choice, households counted once.
        counts = {}
        for i, choice in enumerate(choices):
            match = (
                Q(value_text__contains=f" {choice.value} ")
                if question.kind == QuestionKind.MULTIPLE
                else Q(value_text=choice.value)
            )
            counts[f"c{i}"] = Count("response__household_id", filter=match, distinct=True)
        per_rw = (
            Answer.objects.filter(submitted, question=question)
            .values("response__household__rt__rw__number")
            .annotate(**counts)
            .order_by("response__household__rt__rw__number")
        )
        for row in per_rw:
            rw = row["response__household__rt__rw__number"]
            base = surveyed.get(rw, 0)
            for i, choice in enumerate(choices):
                n = row[f"c{i}"]
                rows.append({
                    "rw": rw, "round": survey_round.name, "question": question.label, "answer": choice.label,
                    "households": n, "share": n / base if base else 0.0,
                })
    rows.sort(key=lambda r: r["rw"])  # stable: question and choice order kept within an RW
    return rows
