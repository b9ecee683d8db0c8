"""Meeting pages and the needs page. Thin: parse input, call one service or selector, render."""

from __future__ import annotations


from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.core.forms import domain_page
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import DomainError, NotFoundError
from bansos.core.models import RW
from bansos.meetings import selectors, services
from bansos.meetings.forms import MeetingForm, MeetingStatusForm, NeedForm, NeedStatusForm, OthersForm
from bansos.meetings.models import MEETING_TRANSITIONS, NEED_TRANSITIONS, MeetingStatus, Need, NeedStatus
from bansos.registry.forms import apply_errors
from bansos.registry.models import Resident

PAGE_SIZE = 25


meetings_page = domain_page


def _meeting(request, pk: int, *, manage: bool = False):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if manage and not services.meeting_manageable(request.user, meeting):
        raise PermissionDenied
    return meeting


def _to_meeting(meeting_id: int):
    return redirect("meetings:meeting_detail", pk=meeting_id)


# --- Needs page ------------------------------------------------------------------------------


@meetings_page
@require_http_methods(["GET"])
def needs_overview(request):
    if not has_role_perm(request.user, P.NEEDS_VIEW):
        raise PermissionDenied
    return render(request, "meetings/needs_overview.html", {"overview": selectors.needs_overview()})


@meetings_page
@require_http_methods(["GET"])
def needs_rw(request, number: int):
    if not has_role_perm(request.user, P.NEEDS_VIEW):
        raise PermissionDenied
    rw = get_object_or_404(RW, number=number)
    overview = selectors.needs_overview(rw=rw)
    return render(request, "meetings/needs_rw.html", {"rw": rw, "column": overview["columns"][0],
                                                      "overview": overview})


# --- Meetings --------------------------------------------------------------------------------


@meetings_page
@require_http_methods(["GET"])
def meeting_list(request):
    user = request.user
    if not selectors.meetings_readable(user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in MeetingStatus.values else ""
    try:
        rw = int(request.GET.get("rw") or 0) or None
    except ValueError:
        rw = None
    qs = selectors.meeting_list(user=user, rw=rw, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_list.html", {
        "page": page, "status": status, "rw": rw, "statuses": MeetingStatus.choices,
        "rws": RW.objects.order_by("number"), "can_manage": has_role_perm(user, P.MEETING_MANAGE),
        "can_needs": has_role_perm(user, P.NEEDS_VIEW),
    })


@meetings_page
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    user = request.user
    if not has_role_perm(user, P.MEETING_MANAGE):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, user=user, creating=True)
    if request.method == "POST" and form.is_valid():
        status = MeetingStatus.HELD if form.cleaned_data.get("held") else MeetingStatus.PLANNED
        try:
            meeting = services.meeting_create(actor=user, data=form.meeting_data(), status=status)
        except NotFoundError:
            raise
        except DomainError as exc:
            apply_errors(exc, form)
        else:
            messages.success(request, _t("Musyawarah dicatat."))
            return _to_meeting(meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "creating": True})


@meetings_page
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    user = request.user
    meeting = _meeting(request, pk, manage=True)
    initial = {
        "date": meeting.date, "rw": meeting.rw, "title": meeting.title, "place": meeting.place,
        "agenda": meeting.agenda, "minutes": meeting.minutes, "decisions": "\n".join(meeting.decisions),
    }
    form = MeetingForm(request.POST or None, initial=initial, user=user, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=user, meeting=meeting, data=form.meeting_data())
        except NotFoundError:
            raise
        except DomainError as exc:
            apply_errors(exc, form)
        else:
            messages.success(request, _t("Musyawarah diperbarui."))
            return _to_meeting(meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting, "creating": False})


def _detail_context(request, meeting, **extra):
    user = request.user
    can_manage = services.meeting_manageable(user, meeting)
    attendees = selectors.meeting_attendees(user=user, meeting=meeting)
    context = {
        "meeting": meeting,
        "can_manage": can_manage,
        "participation": selectors.meeting_participation(meeting),
        "attendees": attendees,
        "needs": selectors.meeting_needs(meeting=meeting),
        "next_statuses": [(s.value, s.label) for s in MEETING_TRANSITIONS[MeetingStatus(meeting.status)]],
        "is_held": meeting.status == MeetingStatus.HELD,
        "others_form": OthersForm(initial={
            "others_count": meeting.others_count, "others_women": meeting.others_women,
            "others_youth": meeting.others_youth,
        }),
    }
    context.update(extra)
    return context


@meetings_page
@require_http_methods(["GET"])
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


@meetings_page
@require_POST
def meeting_status(request, pk: int):
    meeting = _meeting(request, pk, manage=True)
    form = MeetingStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _t("Pilih status yang valid."))
        return _to_meeting(meeting.pk)
    try:
        services.meeting_set_status(actor=request.user, meeting=meeting, status=form.cleaned_data["status"],
                                    reason=form.cleaned_data["reason"])
    except NotFoundError:
        raise
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _t("Status musyawarah diperbarui."))
    return _to_meeting(meeting.pk)


@meetings_page
@require_POST
def meeting_others(request, pk: int):
    meeting = _meeting(request, pk, manage=True)
    form = OthersForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_others_set(
                actor=request.user, meeting=meeting, count=form.cleaned_data["others_count"],
                women=form.cleaned_data["others_women"], youth=form.cleaned_data["others_youth"],
            )
        except NotFoundError:
            raise
        except DomainError as exc:
            apply_errors(exc, form)
        else:
            messages.success(request, _t("Jumlah peserta lain disimpan."))
            return _to_meeting(meeting.pk)
    # Errors are shown next to the fields of the form on the meeting page; nothing was changed.
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting, others_form=form),
                  status=422)


@meetings_page
@require_http_methods(["GET"])
def attendee_search(request, pk: int):
    meeting = _meeting(request, pk, manage=True)
    q = request.GET.get("q", "")
    results = selectors.attendee_candidates(user=request.user, meeting=meeting, q=q)
    return render(request, "meetings/_attendee_results.html", {"meeting": meeting, "results": results, "q": q})


def _resident(request, value) -> Resident:
    try:
        return Resident.objects.select_related("household__rt__rw").get(pk=int(value))
    except (TypeError, ValueError, Resident.DoesNotExist):
        raise Http404 from None


@meetings_page
@require_POST
def attendance_add(request, pk: int):
    meeting = _meeting(request, pk, manage=True)
    resident = _resident(request, request.POST.get("resident"))
    try:
        services.attendance_add(actor=request.user, meeting=meeting, resident=resident)
    except NotFoundError:
        raise
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _t("%(name)s tercatat hadir.") % {"name": resident.full_name})
    return _to_meeting(meeting.pk)


@meetings_page
@require_POST
def attendance_remove(request, pk: int, resident_id: int):
    meeting = _meeting(request, pk, manage=True)
    resident = _resident(request, resident_id)
    try:
        services.attendance_remove(actor=request.user, meeting=meeting, resident=resident)
    except NotFoundError:
        raise
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _t("Kehadiran %(name)s dihapus.") % {"name": resident.full_name})
    return _to_meeting(meeting.pk)


# --- Needs -----------------------------------------------------------------------------------


@meetings_page
@require_http_methods(["GET", "POST"])
def need_create(request, pk: int):
    meeting = _meeting(request, pk, manage=True)
    form = NeedForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_create(actor=request.user, meeting=meeting, data=form.cleaned_data)
        except NotFoundError:
            raise
        except DomainError as exc:
            apply_errors(exc, form)
        else:
            messages.success(request, _t("Kebutuhan dicatat."))
            return _to_meeting(meeting.pk)
    return render(request, "meetings/need_form.html", {"form": form, "meeting": meeting})


def _need(request, pk: int):
    need = get_object_or_404(Need, pk=pk)
    meeting = _meeting(request, need.meeting_id, manage=True)
    return need, meeting


@meetings_page
@require_http_methods(["GET", "POST"])
def need_edit(request, pk: int):
    need, meeting = _need(request, pk)
    initial = {"category": need.category, "description": need.description, "rw": need.rw,
               "hand_votes": need.hand_votes}
    form = NeedForm(request.POST or None, initial=initial, meeting=meeting)
    status_form = NeedStatusForm(initial={"status": need.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(actor=request.user, need=need, data=form.cleaned_data)
        except NotFoundError:
            raise
        except DomainError as exc:
            apply_errors(exc, form)
        else:
            messages.success(request, _t("Kebutuhan diperbarui."))
            return _to_meeting(meeting.pk)
    return render(request, "meetings/need_edit.html", _need_context(request, need, meeting, form, status_form))


def _need_context(request, need, meeting, form, status_form):
    status_form.fields["status"].choices = [
        (s.value, s.label) for s in NeedStatus if s in NEED_TRANSITIONS[NeedStatus(need.status)]
    ]
    votes = selectors.meeting_votes_by_need(user=request.user, meeting=meeting).get(need.pk, set())
    attendees = selectors.meeting_attendees(user=request.user, meeting=meeting)
    return {
        "form": form, "status_form": status_form, "need": need, "meeting": meeting,
        "voters": [(a.resident, a.resident_id in votes) for a in attendees["visible"]],
        "can_change_status": bool(status_form.fields["status"].choices),
    }


@meetings_page
@require_POST
def need_status(request, pk: int):
    need, meeting = _need(request, pk)
    status_form = NeedStatusForm(request.POST)
    if status_form.is_valid():
        try:
            services.need_set_status(actor=request.user, need=need, status=status_form.cleaned_data["status"],
                                     reason=status_form.cleaned_data["reason"])
        except NotFoundError:
            raise
        except DomainError as exc:
            apply_errors(exc, status_form)
        else:
            messages.success(request, _t("Status kebutuhan diperbarui."))
            return _to_meeting(meeting.pk)
    form = NeedForm(initial={"category": need.category, "description": need.description, "rw": need.rw,
                             "hand_votes": need.hand_votes}, meeting=meeting)
    return render(request, "meetings/need_edit.html", _need_context(request, need, meeting, form, status_form),
                  status=422)


@meetings_page
@require_POST
def need_vote(request, pk: int):
    need, meeting = _need(request, pk)
    resident = _resident(request, request.POST.get("resident"))
    try:
        if request.POST.get("action") == "remove":
            services.need_vote_remove(actor=request.user, need=need, resident=resident)
        else:
            services.need_vote_add(actor=request.user, need=need, resident=resident)
    except NotFoundError:
        raise
    except DomainError as exc:
        messages.error(request, exc.text)
    else:
        messages.success(request, _t("Suara disimpan."))
    return redirect("meetings:need_edit", pk=need.pk)
