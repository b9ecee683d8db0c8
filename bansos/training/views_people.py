"""Participant pages: add from the program's enrollments, drop, score; attendance; feedback."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P
from bansos.core.errors import DomainError, NotFoundError
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.programs.models import Enrollment
from bansos.registry.models import Resident
from bansos.training import selectors
from bansos.training.access import can_manage_course, require_attendance, require_manage_course
from bansos.training.forms import FeedbackForm, ReasonForm
from bansos.training.models import CourseStatus
from bansos.training.services import participants as services
from bansos.training.services.common import today


def _refuse_or_flash(request, exc: DomainError) -> None:
    if exc.status in (403, 404):
        raise exc
    messages.error(request, exc.text)


@domain_page
@require_http_methods(["GET", "POST"])
def participants(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    manage = can_manage_course(request.user, course)
    if request.method == "POST":
        require_manage_course(request.user, course)
        enrollment = Enrollment.objects.filter(pk=request.POST.get("enrollment") or 0,
                                               program_id=course.program_id).first()
        resident_id = request.POST.get("resident") or ""
        resident = Resident.objects.filter(pk=resident_id).first() if resident_id.isdigit() else None
        if enrollment is None:
            messages.error(request, _t("Pilih pendaftaran program yang akan ditambahkan."))
        else:
            try:
                participant = services.participant_add(actor=request.user, course=course, enrollment=enrollment,
                                                       resident=resident)
                messages.success(request, _t("%(name)s ditambahkan sebagai peserta.") % {
                    "name": participant.resident.full_name})
            except DomainError as exc:
                _refuse_or_flash(request, exc)
        return redirect("training:participants", pk=course.pk)
    candidates = []
    if manage and course.status in (CourseStatus.PLANNED, CourseStatus.RUNNING):
        for e in selectors.eligible_enrollments(course)[:200]:
            members = [] if e.resident_id else [r for r in e.household.residents.all() if r.status == "active"]
            candidates.append({"enrollment": e, "members": members})
    detail = selectors.course_detail(course)
    return render(request, "training/participants.html", {
        "course": course, "detail": detail, "candidates": candidates, "can_manage": manage,
    })


@domain_page
@require_http_methods(["GET", "POST"])
def participant_drop(request, pk: int):
    participant = selectors.participant_get(user=request.user, pk=pk)
    require_manage_course(request.user, participant.course)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _p = form_attempt(form, lambda: services.participant_drop(
            actor=request.user, participant=participant, reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _t("Peserta dicatat berhenti."))
            return redirect("training:participants", pk=participant.course_id)
    return render(request, "training/reason_form.html", {
        "form": form, "course": participant.course, "participant": participant,
        "title": _t("Peserta berhenti: %(name)s") % {"name": participant.resident.full_name},
        "button": _t("Catat berhenti"), "back": "training:participants", "back_id": participant.course_id,
    }, status=400 if form.is_bound else 200)


@domain_page
@require_POST
def participant_score(request, pk: int):
    participant = selectors.participant_get(user=request.user, pk=pk)
    try:
        services.participant_score_set(actor=request.user, participant=participant,
                                       score=(request.POST.get("score") or "").strip())
        messages.success(request, _t("Nilai %(name)s disimpan.") % {"name": participant.resident.full_name})
    except DomainError as exc:
        _refuse_or_flash(request, exc)
    return redirect(reverse("training:participants", args=[participant.course_id]) + f"#p{participant.pk}")


# --- Attendance (phone-sized) ----------------------------------------------------------------------


def _attendance_context(request, session):
    course = session.course
    return {"course": course, "session": session, "sheet": selectors.session_attendance(session),
            "open": course.status == CourseStatus.RUNNING and session.date <= today(),
            "future": session.date > today(), "can_manage": can_manage_course(request.user, course)}


@domain_page
@require_http_methods(["GET"])
def attendance(request, pk: int):
    session = selectors.session_get(user=request.user, pk=pk)
    require_attendance(request.user, session.course)
    return render(request, "training/attendance.html", _attendance_context(request, session))


@domain_page
@require_POST
def attendance_mark(request, pk: int, participant_id: int):
    """One tap: the wanted state in ``present`` (1/0). htmx gets the row and the counts; a form POST a redirect."""
    session = selectors.session_get(user=request.user, pk=pk)
    course = session.course
    require_attendance(request.user, course)
    participant = course.participants.select_related("resident").filter(pk=participant_id).first()
    if participant is None:
        raise NotFoundError()
    value = request.POST.get("present")
    if value not in ("0", "1"):
        return HttpResponseBadRequest(_t("Permintaan tidak valid."))
    htmx = request.headers.get("HX-Request") == "true"
    error = None
    try:
        row = services.attendance_mark(actor=request.user, session=session, participant=participant,
                                       present=value == "1")
        shown = {"participant": participant, "present": row.present, "marked": True}
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        error = exc.text
        shown = selectors.attendance_row(session, participant)
    if not htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("training:attendance", args=[session.pk]) + f"#p{participant.pk}")
    return render(request, "training/_attendance_row.html", {
        "session": session, "row": shown,
        "counts": selectors.attendance_counts(session), "open": error is None, "error": error, "oob": True,
    }, status=200 if error is None else 409)


@domain_page
@require_POST
def attendance_close(request, pk: int):
    session = selectors.session_get(user=request.user, pk=pk)
    try:
        services.session_attendance_close(actor=request.user, session=session)
        messages.success(request, _t("Absensi pertemuan %(n)s dicatat.") % {"n": session.number})
    except DomainError as exc:
        _refuse_or_flash(request, exc)
    return redirect("training:course_detail", pk=session.course_id)


# --- Feedback ------------------------------------------------------------------------------------------


@domain_page
@require_http_methods(["GET", "POST"])
def feedback(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    manage = can_manage_course(request.user, course)
    people = list(course.participants.select_related("resident").order_by("resident__full_name"))
    sessions = list(course.sessions.order_by("number"))
    form = FeedbackForm(request.POST or None, participants=people, sessions=sessions)
    if request.method == "POST":
        require_manage_course(request.user, course)
        if form.is_valid():
            participant = next(p for p in people if str(p.pk) == form.cleaned_data["participant"])
            session = next((s for s in sessions if str(s.pk) == form.cleaned_data["session"]), None)
            ok, _f = form_attempt(form, lambda: services.feedback_record(
                actor=request.user, participant=participant, session=session, rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"]))
            if ok:
                messages.success(request, _t("Penilaian dicatat."))
                return redirect("training:feedback", pk=course.pk)
    return render(request, "training/feedback.html", {
        "course": course, "form": form, "summary": selectors.feedback_summary(course), "can_manage": manage,
    }, status=400 if form.is_bound and not form.is_valid() else 200)


@perm_required(P.TRAINING_MANAGE)
@domain_page
@require_http_methods(["GET"])
def trainers(request):
    return render(request, "training/trainers.html", {"rows": selectors.trainer_summary(user=request.user)})

