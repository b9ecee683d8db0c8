"""Resident pages for ratings: sessions awaiting a rating, rate a session, rate a program."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods

from bansos.accounts.models import Role
from bansos.core.errors import NotFoundError
from bansos.core.forms import domain_page, form_attempt
from bansos.forums import selectors
from bansos.forums.access import person_of, takes_part
from bansos.forums.forms import RatingForm
from bansos.forums.services import feedback as services


def _resident(request):
    if request.user.role != Role.RESIDENT or not request.user.household_id:
        raise PermissionDenied


@domain_page
def ratings(request):
    _resident(request)
    return render(request, "forums/ratings.html", {
        "sessions": selectors.sessions_to_rate(request.user), "programs": selectors.programs_to_rate(request.user),
        "linked": person_of(request.user) is not None})


@domain_page
@require_http_methods(["GET", "POST"])
def rate_session(request, pk: int):
    from bansos.training.models import CourseSession, Participant

    _resident(request)
    person = person_of(request.user)
    session = CourseSession.objects.select_related("course").filter(pk=pk).first()
    # Only a participant of the course sees the page (another course's session does not exist for him).
    if session is None or person is None or not Participant.objects.filter(
            course_id=session.course_id, resident=person).exists():
        raise NotFoundError()
    existing = selectors.session_rating_get(request.user, session)
    initial = {"rating": existing.rating, "comment": existing.comment} if existing else None
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _f = form_attempt(form, lambda: services.session_feedback_record(
            actor=request.user, session=session, rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"]), aliases={"session": None})
        if ok:
            messages.success(request, _t("Terima kasih, penilaian Anda tersimpan."))
            return redirect("forums:ratings")
    return render(request, "forums/rate.html", {
        "form": form, "title": _t("Nilai pertemuan pelatihan"), "session": session, "existing": existing},
        status=400 if form.is_bound else 200)


@domain_page
@require_http_methods(["GET", "POST"])
def rate_program(request, pk: int):
    from bansos.forums.models import ProgramFeedback
    from bansos.programs.models import Program

    _resident(request)
    program = Program.objects.select_related("agency").filter(pk=pk).first()
    if program is None or not takes_part(request.user.household_id, program.pk):
        raise NotFoundError()
    person = person_of(request.user)
    existing = ProgramFeedback.objects.filter(program=program, resident=person).first() if person else None
    initial = {"rating": existing.rating, "comment": existing.comment} if existing else None
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _f = form_attempt(form, lambda: services.program_feedback_record(
            actor=request.user, program=program, rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"]))
        if ok:
            messages.success(request, _t("Terima kasih, penilaian Anda tersimpan."))
            return redirect("forums:ratings")
    return render(request, "forums/rate.html", {
        "form": form, "title": _t("Nilai program"), "program": program, "existing": existing},
        status=400 if form.is_bound else 200)
