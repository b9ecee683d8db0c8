"""Pages of the notifications app: announcements and their reach (staff), the outbox (staff), the
resident's inbox (portal) and the public announcements. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bansos.accounts.models import Role
from bansos.accounts.permissions import P
from bansos.core.errors import DomainError, NotFoundError
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.notifications import selectors, services
from bansos.notifications.access import can_manage_announcement
from bansos.notifications.delivery import channel_label
from bansos.notifications.forms import AnnouncementFilterForm, AnnouncementForm, OutboxFilterForm
from bansos.notifications.models import AnnouncementStatus
from bansos.notifications.targets import group_label

PAGE_SIZE = 25


# --- Announcements (staff) -------------------------------------------------------------------------


@perm_required(P.ANNOUNCEMENT_MANAGE)
@domain_page
@require_GET
def announcement_list(request):
    form = AnnouncementFilterForm(request.GET or None)
    status = kind = ""
    if form.is_valid():
        status, kind = form.cleaned_data["status"], form.cleaned_data["target_kind"]
    qs = selectors.announcement_list(user=request.user, status=status, target_kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in (("status", status), ("target_kind", kind)) if v])
    return render(request, "notifications/announcement_list.html", {"page": page, "form": form, "query": query})


@perm_required(P.ANNOUNCEMENT_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def announcement_create(request):
    form = AnnouncementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, announcement = form_attempt(form, lambda: services.announcement_create(
            actor=request.user, data=form.service_data()))
        if ok:
            messages.success(request, _t("Pengumuman disimpan sebagai draf. Periksa lalu terbitkan."))
            return redirect("notifications:announcement_detail", pk=announcement.pk)
    return render(request, "notifications/announcement_form.html", {"form": form, "creating": True},
                  status=400 if form.is_bound else 200)


@domain_page
@require_http_methods(["GET", "POST"])
def announcement_edit(request, pk: int):
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    form = AnnouncementForm(request.POST or None, user=request.user,
                            initial=AnnouncementForm.initial_for(announcement))
    if request.method == "POST" and form.is_valid():
        ok, _a = form_attempt(form, lambda: services.announcement_update(
            actor=request.user, announcement=announcement, data=form.service_data()))
        if ok:
            messages.success(request, _t("Pengumuman diperbarui."))
            return redirect("notifications:announcement_detail", pk=announcement.pk)
    return render(request, "notifications/announcement_form.html",
                  {"form": form, "creating": False, "announcement": announcement},
                  status=400 if form.is_bound else 200)


@domain_page
@require_GET
def announcement_detail(request, pk: int):
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    published = announcement.status == AnnouncementStatus.PUBLISHED
    return render(request, "notifications/announcement_detail.html", {
        "announcement": announcement, "group_label": group_label(announcement.group),
        "reach": selectors.announcement_reach(announcement=announcement) if published else None,
        "can_manage": can_manage_announcement(request.user, announcement),
    })


@domain_page
@require_POST
def announcement_publish(request, pk: int):
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    try:
        announcement = services.announcement_publish(actor=request.user, announcement=announcement)
        messages.success(request, _t("Pengumuman diterbitkan ke %(n)s keluarga.") % {"n": announcement.recipients})
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.text)
    return redirect("notifications:announcement_detail", pk=pk)


@domain_page
@require_GET
def announcement_reach(request, pk: int):
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    return render(request, "notifications/reach.html", {
        "announcement": announcement, "reach": selectors.announcement_reach(announcement=announcement)})


@perm_required(P.ANNOUNCEMENT_MANAGE)
@domain_page
@require_GET
def program_reach(request, pk: int):
    from bansos.programs.models import Program

    program = Program.objects.select_related("agency").filter(pk=pk).first()
    if program is None:
        raise Http404
    if request.user.role == Role.OFFICER and program.agency_id != request.user.agency_id:
        raise PermissionDenied
    return render(request, "notifications/reach.html", {
        "program": program, "reach": selectors.program_reach(user=request.user, program=program)})


# --- Outbox (staff) ------------------------------------------------------------------------------


@perm_required(P.OUTBOX_VIEW)
@domain_page
@require_GET
def outbox(request):
    form = OutboxFilterForm(request.GET or None)
    filters = {"status": "", "channel": "", "topic": ""}
    if form.is_valid():
        filters = {k: form.cleaned_data[k] or "" for k in filters}
    qs = selectors.outbox_list(user=request.user, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"m": m, "address": selectors.mask_address(m.address)} for m in page.object_list]
    return render(request, "notifications/outbox.html", {
        "page": page, "rows": rows, "form": form, "counts": selectors.outbox_counts(user=request.user),
        "query": urlencode([(k, v) for k, v in filters.items() if v]),
        "channels": [(c, channel_label(c)) for c in ("sms", "whatsapp", "email")],
    })


@perm_required(P.OUTBOX_VIEW)
@domain_page
@require_POST
def message_retry(request, pk: int):
    message = selectors.outbox_get(user=request.user, pk=pk)
    try:
        services.message_retry(actor=request.user, message=message)
        messages.success(request, _t("Pesan dimasukkan kembali ke antrean pengiriman."))
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.text)
    return redirect(request.POST.get("next") if str(request.POST.get("next", "")).startswith("/pemberitahuan/")
                    else "notifications:outbox")


# --- Inbox (resident) ---------------------------------------------------------------------------------


def _resident(request):
    if request.user.role != Role.RESIDENT:
        raise PermissionDenied


@login_required
@require_GET
def inbox(request):
    _resident(request)
    page = Paginator(selectors.inbox_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "query": ""})


@login_required
@require_GET
def inbox_message(request, pk: int):
    """Opening a message marks it read (as a mail program does)."""
    _resident(request)
    try:
        message = selectors.inbox_get(user=request.user, pk=pk)
        message = services.message_read(actor=request.user, message=message)
    except NotFoundError:
        raise Http404 from None
    return render(request, "notifications/inbox_message.html", {"message": message})


# --- Public ------------------------------------------------------------------------------------------


@require_GET
def public_list(request):
    page = Paginator(selectors.public_announcements(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/public_list.html", {"page": page, "query": ""})


@require_GET
def public_detail(request, pk: int):
    try:
        announcement = selectors.public_announcement_get(pk)
    except NotFoundError:
        raise Http404 from None
    return render(request, "notifications/public_detail.html", {"announcement": announcement})
