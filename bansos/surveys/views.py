"""Survey pages: forms and their builder, XLSForm import, rounds with progress, entry on a phone, export.

Thin: read through ``surveys.selectors``, write through ``surveys.services``, and turn domain
errors into messages next to the fields they are about.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.core.forms import domain_page
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError, ValidationFailed
from bansos.registry.models import Household
from bansos.registry.selectors import HouseholdFilters, household_list_page, household_search
from bansos.surveys import exporting, logic, selectors, services, xlsform
from bansos.surveys.forms import (
    ChoiceForm, FormCreateForm, FormStatusForm, ImportForm, QuestionForm, RoundForm, SectionForm, apply_errors,
)
from bansos.surveys.models import (
    FormStatus, Question, QuestionKind, ResponseStatus, RoundStatus, Section, Subject,
)

PAGE_SIZE = 20


survey_page = domain_page


def _need(user, perm: str) -> None:
    if not has_role_perm(user, perm):
        raise PermissionDenied


# --- Rounds (the app's front page) -------------------------------------------------------------


@survey_page
@require_http_methods(["GET"])
def round_list(request):
    user = request.user
    if not any(has_role_perm(user, p) for p in (P.SURVEY_DESIGN, P.SURVEY_RESPOND, P.SURVEY_EXPORT)):
        raise PermissionDenied
    return render(request, "surveys/round_list.html", {
        "rounds": selectors.round_list(),
        "can_design": has_role_perm(user, P.SURVEY_DESIGN),
    })


@survey_page
@require_http_methods(["GET", "POST"])
def round_create(request):
    _need(request.user, P.SURVEY_DESIGN)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_round = services.round_create(
                actor=request.user, form=data["form"], name=data["name"], kind=data["kind"],
                period_start=data["period_start"], period_end=data["period_end"],
                target_rws=list(data["target_rws"]), follow_up_number=data["follow_up_number"],
            )
        except (NotFoundError, PermissionDeniedError):
            raise
        except DomainError as exc:
            apply_errors(exc, form)
        else:
            messages.success(request, _t("Putaran %(name)s dibuat.") % {"name": survey_round.name})
            return redirect("surveys:round_detail", pk=survey_round.pk)
    return render(request, "surveys/round_form.html", {"form": form})


@survey_page
@require_http_methods(["GET"])
def round_detail(request, pk):
    user = request.user
    if not any(has_role_perm(user, p) for p in (P.SURVEY_DESIGN, P.SURVEY_RESPOND, P.SURVEY_EXPORT)):
        raise PermissionDenied
    survey_round = selectors.round_get(pk)
    # Designers and exporters see the whole round; officers see their own area.
    sees_all = has_role_perm(user, P.SURVEY_DESIGN) or has_role_perm(user, P.SURVEY_EXPORT)
    rows = selectors.round_progress(survey_round=survey_round, user=None if sees_all else user)
    return render(request, "surveys/round_detail.html", {
        "round": survey_round, "rows": rows, "totals": selectors.progress_totals(rows),
        "can_design": has_role_perm(user, P.SURVEY_DESIGN),
        "can_respond": has_role_perm(user, P.SURVEY_RESPOND) and survey_round.status == RoundStatus.OPEN,
        "can_export": has_role_perm(user, P.SURVEY_EXPORT),
        "next_status": {RoundStatus.PLANNED: RoundStatus.OPEN, RoundStatus.OPEN: RoundStatus.CLOSED,
                        RoundStatus.CLOSED: RoundStatus.OPEN}[RoundStatus(survey_round.status)],
    })


@survey_page
@require_POST
def round_status(request, pk):
    _need(request.user, P.SURVEY_DESIGN)
    survey_round = selectors.round_get(pk)
    try:
        services.round_set_status(actor=request.user, survey_round=survey_round, status=request.POST.get("status", ""))
    except (NotFoundError, PermissionDeniedError):
        raise
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "text", str(exc)))
    else:
        messages.success(request, _t("Status putaran diubah."))
    return redirect("surveys:round_detail", pk=pk)


@survey_page
@require_http_methods(["GET"])
def round_export(request, pk, fmt):
    _need(request.user, P.SURVEY_EXPORT)
    survey_round = selectors.round_get(pk)
    fmt, body = exporting.responses_export(actor=request.user, survey_round=survey_round, fmt=fmt)
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"survei-{survey_round.pk}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Forms and the builder -------------------------------------------------------------------


@survey_page
@require_http_methods(["GET", "POST"])
def form_list(request):
    _need(request.user, P.SURVEY_DESIGN)
    create = FormCreateForm(request.POST or None)
    if request.method == "POST" and create.is_valid():
        try:
            survey_form = services.form_create(actor=request.user, **create.cleaned_data)
        except DomainError as exc:
            apply_errors(exc, create)
        else:
            return redirect("surveys:form_detail", pk=survey_form.pk)
    return render(request, "surveys/form_list.html", {"forms": selectors.form_list(), "create": create})


@survey_page
@require_http_methods(["GET", "POST"])
def form_import(request):
    _need(request.user, P.SURVEY_DESIGN)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = xlsform.form_import_xlsform(actor=request.user, data=upload.read(), filename=upload.name)
        except xlsform.XlsFormRejected as exc:
            problems = exc.problems
            form.add_error(None, exc.text)
        else:
            messages.success(request, _t("Formulir %(title)s diimpor: %(n)s pertanyaan.")
                             % {"title": result.form.title, "n": result.questions})
            for note in result.notes:
                messages.info(request, _t("Baris %(row)s: %(message)s") % note)
            return redirect("surveys:form_detail", pk=result.form.pk)
    return render(request, "surveys/form_import.html", {"form": form, "problems": problems})


@survey_page
@require_http_methods(["GET"])
def form_example(request):
    _need(request.user, P.SURVEY_DESIGN)
    response = HttpResponse(xlsform.example_bytes(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="contoh-xlsform-survei.xlsx"'
    return response


def _builder(request, survey_form, *, section_form=None, question_form=None, choice_forms=None):
    survey_form = selectors.form_get(survey_form.pk)
    return render(request, "surveys/form_detail.html", {
        "sform": survey_form,
        "editable": survey_form.status == FormStatus.DRAFT,
        "section_form": section_form or SectionForm(),
        "question_form": question_form or QuestionForm(survey_form=survey_form),
        "choice_forms": choice_forms or {},
        "status_choices": FormStatus,
    })


@survey_page
@require_http_methods(["GET"])
def form_detail(request, pk):
    _need(request.user, P.SURVEY_DESIGN)
    return _builder(request, selectors.form_get(pk))


def _form_action(request, pk, action):
    """Run one builder action; errors go back onto the builder page next to their form."""
    _need(request.user, P.SURVEY_DESIGN)
    survey_form = selectors.form_get(pk)
    try:
        return action(survey_form)
    except (NotFoundError, PermissionDeniedError):
        raise
    except DomainError as exc:
        if not isinstance(exc, ValidationFailed):
            messages.error(request, exc.text)
            return redirect("surveys:form_detail", pk=pk)
        raise


@survey_page
@require_POST
def section_add(request, pk):
    def action(survey_form):
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                services.section_add(actor=request.user, form=survey_form, title=form.cleaned_data["title"])
            except ValidationFailed as exc:
                apply_errors(exc, form)
            else:
                return redirect("surveys:form_detail", pk=pk)
        return _builder(request, survey_form, section_form=form)

    return _form_action(request, pk, action)


@survey_page
@require_POST
def question_add(request, pk):
    def action(survey_form):
        form = QuestionForm(request.POST, survey_form=survey_form)
        if form.is_valid():
            data = dict(form.cleaned_data)
            section = data.pop("section")
            try:
                services.question_add(actor=request.user, section=section, data=data)
            except ValidationFailed as exc:
                apply_errors(exc, form)
            else:
                messages.success(request, _t("Pertanyaan %(code)s ditambahkan.") % {"code": data["code"]})
                return redirect("surveys:form_detail", pk=pk)
        return _builder(request, survey_form, question_form=form)

    return _form_action(request, pk, action)


@survey_page
@require_POST
def choice_add(request, pk, qid):
    def action(survey_form):
        question = next((q for q in survey_form.question_list if q.pk == qid), None)
        if question is None:
            raise NotFoundError()
        form = ChoiceForm(request.POST, prefix=f"c{qid}")
        if form.is_valid():
            try:
                services.choice_add(actor=request.user, question=question, **form.cleaned_data)
            except ValidationFailed as exc:
                apply_errors(exc, form)
            else:
                return redirect(f"{request.path.rsplit('/pilihan/', 1)[0]}/#q{qid}")
        return _builder(request, survey_form, choice_forms={qid: form})

    return _form_action(request, pk, action)


@survey_page
@require_POST
def builder_move(request, pk):
    def action(survey_form):
        what, direction = request.POST.get("what"), request.POST.get("direction")
        try:
            item_id = int(request.POST.get("id", ""))
        except ValueError:
            raise NotFoundError() from None
        if direction not in ("up", "down"):
            raise NotFoundError()
        if what == "section":
            section = Section.objects.select_related("form").filter(form=survey_form, pk=item_id).first()
            if section is None:
                raise NotFoundError()
            services.section_move(actor=request.user, section=section, direction=direction)
        elif what == "question":
            question = Question.objects.select_related("form").filter(form=survey_form, pk=item_id).first()
            if question is None:
                raise NotFoundError()
            services.question_move(actor=request.user, question=question, direction=direction)
        elif what == "delete":
            question = Question.objects.select_related("form").filter(form=survey_form, pk=item_id).first()
            if question is None:
                raise NotFoundError()
            services.question_delete(actor=request.user, question=question)
        else:
            raise NotFoundError()
        return redirect("surveys:form_detail", pk=pk)

    return _form_action(request, pk, action)


@survey_page
@require_POST
def form_status(request, pk):
    def action(survey_form):
        form = FormStatusForm(request.POST)
        if not form.is_valid():
            raise NotFoundError()
        try:
            services.form_set_status(actor=request.user, form=survey_form, status=form.cleaned_data["status"])
        except ValidationFailed as exc:
            for messages_ in exc.errors.values():
                for message in messages_:
                    messages.error(request, message)
        else:
            messages.success(request, _t("Status formulir diubah."))
        return redirect("surveys:form_detail", pk=pk)

    return _form_action(request, pk, action)


# --- Entry ------------------------------------------------------------------------------------


@survey_page
@require_http_methods(["GET"])
def entry_search(request, pk):
    user = request.user
    _need(user, P.SURVEY_RESPOND)
    survey_round = selectors.round_get(pk)
    q = request.GET.get("q", "").strip()
    qs = household_search(user=user, filters=HouseholdFilters(q=q)).filter(
        selectors.round_households(survey_round))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(household_list_page(Household.objects.filter(pk__in=[h.pk for h in page.object_list]))
                .order_by("kk_number", "pk"))
    done = selectors.responses_by_household(survey_round=survey_round, household_ids=[h.pk for h in rows])
    context = {"round": survey_round, "page": page, "rows": rows, "done": done, "q": q}
    template = "surveys/_entry_results.html" if request.htmx else "surveys/entry_search.html"
    return render(request, template, context)


def _entry_setup(request, pk, hid):
    _need(request.user, P.SURVEY_RESPOND)
    survey_round = selectors.round_get(pk)
    household = selectors.entry_household_get(user=request.user, survey_round=survey_round, household_id=hid)
    questions = selectors.questions_of(survey_round.form_id)
    sections = list(Section.objects.filter(form_id=survey_round.form_id).order_by("order", "id"))
    sections = [s for s in sections if any(q.section_id == s.pk for q in questions)]
    if not sections:
        raise NotFoundError()
    try:
        index = min(max(int(request.GET.get("bagian", 1)), 1), len(sections))
    except ValueError:
        index = 1
    return survey_round, household, questions, sections, index


def _raw_for_section(post, questions, section, members) -> dict[logic.Key, Any]:
    raw: dict[logic.Key, Any] = {}
    for question in questions:
        if question.section_id != section.pk:
            continue
        for resident_id in ([m.pk for m in members] if question.subject == Subject.RESIDENT else [None]):
            name = services.field_name(question, resident_id)
            raw[(question.pk, resident_id)] = (
                post.getlist(name) if question.kind == QuestionKind.MULTIPLE else post.get(name, "")
            )
    return raw


def _shown_value(question, value) -> Any:
    if value is None:
        return [] if question.kind == QuestionKind.MULTIPLE else ""
    if question.kind == QuestionKind.MULTIPLE:
        return list(value)
    if question.kind == QuestionKind.DATE and hasattr(value, "isoformat"):
        return value.isoformat()
    if question.kind == QuestionKind.DECIMAL and not isinstance(value, str):
        return format(value, "f")
    return str(value)


def _section_items(questions, section, members, values, visible, raw, errors, controlling):
    def item(question, resident_id):
        key = (question.pk, resident_id)
        value = raw[key] if raw is not None and key in raw else _shown_value(question, values.get(key))
        return {
            "q": question, "name": services.field_name(question, resident_id), "value": value,
            "errors": errors.get(services.field_name(question, resident_id), []),
            "controls": question.pk in controlling,
            # What a change re-renders: the member's block for per-member questions (their dependents
            # are per member too), the whole section for household questions.
            "block": f"m-{resident_id}" if resident_id else "section-body",
        }

    household_items = [item(q, None) for q in questions
                       if q.section_id == section.pk and q.subject == Subject.HOUSEHOLD and visible.get((q.pk, None))]
    member_blocks = []
    member_questions = [q for q in questions if q.section_id == section.pk and q.subject == Subject.RESIDENT]
    if member_questions:
        for member in members:
            items = [item(q, member.pk) for q in member_questions if visible.get((q.pk, member.pk))]
            member_blocks.append({"member": member, "items": items,
                                  "has_errors": any(i["errors"] for i in items)})
    return household_items, member_blocks


def _entry_context(request, survey_round, household, questions, sections, index, *, raw=None, errors=None):
    members = household.members
    response = selectors.response_for(survey_round=survey_round, household=household)
    stored = services.stored_answers(response, questions)
    values, visible, parse_errors = services.response_evaluate(
        questions=questions, members=members, stored=stored, raw=raw or {})
    section = sections[index - 1]
    controlling = {q.show_when_question_id for q in questions if q.show_when_question_id}
    household_items, member_blocks = _section_items(
        questions, section, members, values, visible, raw, errors or {}, controlling)
    return {
        "round": survey_round, "household": household, "members": members, "response": response,
        "sections": sections, "section": section, "index": index, "last": index == len(sections),
        "household_items": household_items, "member_blocks": member_blocks,
        "other_errors": (errors or {}).get("__all__", []),
        "editable": survey_round.status == RoundStatus.OPEN,
        "submitted": response is not None and response.status == ResponseStatus.SUBMITTED,
        "head": next((m for m in members if m.relation == "head"), None),
    }


@survey_page
@require_http_methods(["GET", "POST"])
def entry_household(request, pk, hid):
    survey_round, household, questions, sections, index = _entry_setup(request, pk, hid)
    if request.method == "GET":
        return render(request, "surveys/entry_form.html",
                      _entry_context(request, survey_round, household, questions, sections, index))
    action = request.POST.get("action", "save")
    section = sections[index - 1]
    raw = _raw_for_section(request.POST, questions, section, household.members)
    respondent = None
    if request.POST.get("respondent"):
        respondent = next((m for m in household.members if str(m.pk) == request.POST["respondent"]), None)
    try:
        services.response_save(
            actor=request.user, survey_round=survey_round, household=household, answers=raw,
            submit=action == "submit", required_section=section.pk if action == "next" else None,
            respondent=respondent,
        )
    except (NotFoundError, PermissionDeniedError):
        raise
    except ValidationFailed as exc:
        errors = exc.errors
        target = index
        if action == "submit":
            # Show the first section that has a problem, with the problem next to the question.
            target = _first_section_with_error(questions, sections, errors, household.members) or index
        context = _entry_context(request, survey_round, household, questions, sections, target,
                                 raw=raw if target == index else None, errors=errors)
        context["has_errors"] = True
        return render(request, "surveys/entry_form.html", context, status=422)
    except DomainError as exc:
        messages.error(request, exc.text)
        return redirect(f"{request.path}?bagian={index}")
    if action == "submit":
        messages.success(request, _t("Jawaban KK %(kk)s terkirim; data registri diperbarui.")
                         % {"kk": household.kk_number})
        return redirect("surveys:entry_search", pk=pk)
    step = {"next": 1, "prev": -1}.get(action, 0)
    if action == "save":
        messages.success(request, _t("Draf disimpan."))
    return redirect(f"{request.path}?bagian={min(max(index + step, 1), len(sections))}")


def _first_section_with_error(questions, sections, errors, members) -> int | None:
    for number, section in enumerate(sections, start=1):
        for question in questions:
            if question.section_id != section.pk:
                continue
            slots = [m.pk for m in members] if question.subject == Subject.RESIDENT else [None]
            if any(services.field_name(question, r) in errors for r in slots):
                return number
    return None


@survey_page
@require_POST
def entry_refresh(request, pk, hid):
    """Re-render the current section with the answers typed so far (show-when applied); saves nothing."""
    survey_round, household, questions, sections, index = _entry_setup(request, pk, hid)
    raw = _raw_for_section(request.POST, questions, sections[index - 1], household.members)
    context = _entry_context(request, survey_round, household, questions, sections, index, raw=raw)
    return render(request, "surveys/_entry_section.html", context)


# --- Household page panel ---------------------------------------------------------------------


def household_panel_context(*, user, household) -> dict | None:
    from bansos.accounts.permissions import has_perm

    if not has_perm(user, P.SURVEY_RESPOND, household) and not has_role_perm(user, P.SURVEY_DESIGN):
        return None
    responses = list(selectors.household_responses(household=household)[:10])
    return {"responses": responses}

