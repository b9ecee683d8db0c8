"""Course pages: list, create, edit, detail, sessions, start / finish / cancel.

Thin: parse the form, call one service or selector, render. Who may do what is ``training.access``'s
and the services'.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P
from bansos.core.errors import DomainError
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.training import selectors
from bansos.training.access import can_manage_course, require_manage_course
from bansos.training.forms import CourseFilterForm, CourseForm, ReasonForm, SessionForm
from bansos.training.models import CourseStatus
from bansos.training.services import courses as services

PAGE_SIZE = 25


def _flash_error(request, exc: DomainError) -> None:
    messages.error(request, exc.text)


@perm_required(P.TRAINING_MANAGE)
@domain_page
@require_http_methods(["GET"])
def course_list(request):
    form = CourseFilterForm(request.GET or None)
    status = skill = ""
    if form.is_valid():
        status, skill = form.cleaned_data["status"], form.cleaned_data["skill_area"]
    qs = selectors.course_list(user=request.user, status=status, skill_area=skill)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("status", status), ("skill_area", skill)) if v)
    return render(request, "training/course_list.html", {"page": page, "form": form, "query": query})


@perm_required(P.TRAINING_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def course_create(request):
    form = CourseForm(request.POST or None, user=request.user, initial={"min_attendance_pct": 75})
    if request.method == "POST" and form.is_valid():
        ok, course = form_attempt(form, lambda: services.course_create(
            actor=request.user, program=form.cleaned_data["program"], data=form.service_data()))
        if ok:
            messages.success(request, _t("Pelatihan dibuat. Jadwalkan pertemuannya."))
            return redirect("training:sessions", pk=course.pk)
    return render(request, "training/course_form.html", {"form": form, "creating": True},
                  status=400 if form.is_bound else 200)


@domain_page
@require_http_methods(["GET", "POST"])
def course_edit(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    require_manage_course(request.user, course)
    form = CourseForm(request.POST or None, user=request.user, course=course, initial=CourseForm.initial_for(course))
    if request.method == "POST" and form.is_valid():
        ok, _course = form_attempt(form, lambda: services.course_update(
            actor=request.user, course=course, data=form.service_data()))
        if ok:
            messages.success(request, _t("Pelatihan diperbarui."))
            return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/course_form.html", {"form": form, "creating": False, "course": course},
                  status=400 if form.is_bound else 200)


@domain_page
@require_http_methods(["GET"])
def course_detail(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    return render(request, "training/course_detail.html", {
        "course": course, "detail": selectors.course_detail(course),
        "can_manage": can_manage_course(request.user, course), "today": services.today(),
    })


@domain_page
@require_http_methods(["GET", "POST"])
def sessions(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    manage = can_manage_course(request.user, course)
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        require_manage_course(request.user, course)
        if form.is_valid():
            ok, _session = form_attempt(form, lambda: services.session_add(
                actor=request.user, course=course, data=form.cleaned_data))
            if ok:
                messages.success(request, _t("Pertemuan dijadwalkan."))
                return redirect("training:sessions", pk=course.pk)
    return render(request, "training/sessions.html", {
        "course": course, "form": form, "can_manage": manage, "today": services.today(),
        "sessions": selectors.course_detail(course)["sessions"],
    }, status=400 if form.is_bound else 200)


@domain_page
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = selectors.session_get(user=request.user, pk=pk)
    course = session.course
    require_manage_course(request.user, course)
    form = SessionForm(request.POST or None, initial={
        "date": session.date, "start_time": session.start_time, "place": session.place,
        "trainer": session.trainer, "topic": session.topic})
    if request.method == "POST" and form.is_valid():
        ok, _session = form_attempt(form, lambda: services.session_update(
            actor=request.user, session=session, data=form.cleaned_data))
        if ok:
            messages.success(request, _t("Pertemuan diperbarui."))
            return redirect("training:sessions", pk=course.pk)
    return render(request, "training/session_form.html", {"form": form, "course": course, "session": session},
                  status=400 if form.is_bound else 200)


@domain_page
@require_POST
def session_remove(request, pk: int):
    session = selectors.session_get(user=request.user, pk=pk)
    course = session.course
    try:
        services.session_remove(actor=request.user, session=session)
        messages.success(request, _t("Pertemuan dihapus."))
    except DomainError as exc:
        if exc.status == 403:
            raise
        _flash_error(request, exc)
    return redirect("training:sessions", pk=course.pk)


@domain_page
@require_POST
def course_start(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    try:
        services.course_start(actor=request.user, course=course)
        messages.success(request, _t("Pelatihan dimulai; absensi dapat dicatat."))
    except DomainError as exc:
        if exc.status == 403:
            raise
        _flash_error(request, exc)
    return redirect("training:course_detail", pk=course.pk)


@domain_page
@require_http_methods(["GET", "POST"])
def course_finish(request, pk: int):
    """A confirmation page showing who completes and why not; the POST freezes the outcomes."""
    course = selectors.course_get(user=request.user, pk=pk)
    require_manage_course(request.user, course)
    if request.method == "POST":
        try:
            services.course_finish(actor=request.user, course=course)
            messages.success(request, _t("Pelatihan selesai; hasil peserta ditetapkan."))
            return redirect("training:course_detail", pk=course.pk)
        except DomainError as exc:
            if exc.status == 403:
                raise
            _flash_error(request, exc)
    detail = selectors.course_detail(course)
    future = [s for s in detail["sessions"] if s.date > services.today()]
    return render(request, "training/course_finish.html", {
        "course": course, "detail": detail, "future": future,
        "can_finish": course.status == CourseStatus.RUNNING and not future,
    })


@domain_page
@require_http_methods(["GET", "POST"])
def course_cancel(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    require_manage_course(request.user, course)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _c = form_attempt(form, lambda: services.course_cancel(
            actor=request.user, course=course, reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _t("Pelatihan dibatalkan."))
            return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/reason_form.html", {
        "form": form, "course": course, "title": _t("Batalkan pelatihan"),
        "button": _t("Batalkan pelatihan"), "back": "training:course_detail", "back_id": course.pk,
    }, status=400 if form.is_bound else 200)
