"""Staff pages: the queue, one grievance with its actions, the entry form for office/phone/RT-RW, the dashboard.

Thin: parse the form, call one service or selector, render or redirect with a message. Scope and rules are
``grievances.access``'s and the services'.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.grievances import selectors, services
from bansos.grievances.access import can_assign_anywhere
from bansos.grievances.forms import (
    AssignForm, MessageForm, QueueFilterForm, ReclassifyForm, RecordForm, RejectForm, ResolveForm,
)
from bansos.grievances.models import OPEN_STATES, Grievance, State

PAGE_SIZE = 25


@perm_required(P.GRIEVANCE_HANDLE)
@domain_page
@require_http_methods(["GET"])
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = {"state": "", "category": "", "agency_id": None, "overdue": False, "q": ""}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"state": data["state"], "category": data["category"],
                   "agency_id": data["agency"].pk if data["agency"] else None, "overdue": data["overdue"],
                   "q": data["q"]}
    now = timezone.now()
    qs = selectors.grievance_queue(user=request.user, now=now, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "grievances/queue.html", {
        "form": form, "page": page, "query": query.urlencode(), "now": now, "open_states": OPEN_STATES})


@perm_required(P.GRIEVANCE_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def record(request):
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, grievance = form_attempt(form, lambda: services.grievance_record(
            actor=request.user, data=form.service_data()),
            aliases={"complainant_household": "complainant_kk", "household": "household_kk"})
        if ok:
            messages.success(request, _t("Pengaduan dicatat. Kode lacak: %(code)s.")
                             % {"code": services.display_code(grievance.code)})
            if selectors.staff_can_see(request.user, grievance):
                return redirect("grievances:detail", pk=grievance.pk)
            return redirect("grievances:queue")
    return render(request, "grievances/record.html", {"form": form}, status=400 if form.is_bound else 200)


@domain_page
@require_http_methods(["GET"])
def detail(request, pk: int):
    grievance = selectors.grievance_get(user=request.user, pk=pk)
    now = timezone.now()
    return render(request, "grievances/detail.html", {
        "g": grievance, "code": services.display_code(grievance.code),
        "events": selectors.timeline(grievance, public_only=False), "now": now,
        "is_open": grievance.state in OPEN_STATES,
        "response_late": grievance.first_response_at is None and grievance.first_response_due_at < now
        and grievance.state == State.RECEIVED,
        "resolution_late": grievance.state in OPEN_STATES and grievance.resolution_due_at < now,
        "assign_form": AssignForm(user=request.user, initial={"agency": grievance.agency_id,
                                                              "assignee": grievance.assignee_id}),
        "assign_anywhere": can_assign_anywhere(request.user),
        "respond_form": MessageForm(), "note_form": MessageForm(prefix="note"), "resolve_form": ResolveForm(),
        "reject_form": RejectForm(), "reclassify_form": ReclassifyForm(initial={"track": grievance.track}),
    })


def _act(request, pk: int, call):
    """Run one action of the detail page; a refusal by the rules is a message, not a page of its own."""
    grievance = selectors.grievance_get(user=request.user, pk=pk)
    try:
        text = call(grievance)
        messages.success(request, text)
    except (NotFoundError, PermissionDeniedError):
        raise
    except DomainError as exc:
        messages.error(request, exc.text)
    return redirect("grievances:detail", pk=grievance.pk)


@domain_page
@require_POST
def respond(request, pk: int):
    form = MessageForm(request.POST)
    form.is_valid()

    def call(g):
        services.grievance_respond(actor=request.user, grievance=g, message=form.cleaned_data.get("message", ""))
        return _t("Tanggapan dikirim kepada pelapor.")

    return _act(request, pk, call)


@domain_page
@require_POST
def note(request, pk: int):
    form = MessageForm(request.POST, prefix="note")
    form.is_valid()

    def call(g):
        services.grievance_note(actor=request.user, grievance=g, message=form.cleaned_data.get("message", ""))
        return _t("Catatan internal disimpan.")

    return _act(request, pk, call)


@domain_page
@require_POST
def assign(request, pk: int):
    form = AssignForm(request.POST, user=request.user)

    def call(g):
        if not form.is_valid():
            raise DomainError("invalid", next(iter(form.errors.values()))[0])
        services.grievance_assign(actor=request.user, grievance=g, agency=form.cleaned_data["agency"],
                                  assignee=form.cleaned_data["assignee"], note=form.cleaned_data["note"])
        return _t("Penugasan disimpan.")

    return _act(request, pk, call)


@domain_page
@require_POST
def resolve(request, pk: int):
    form = ResolveForm(request.POST)
    form.is_valid()

    def call(g):
        services.grievance_resolve(actor=request.user, grievance=g,
                                   resolution=form.cleaned_data.get("resolution", ""))
        return _t("Penyelesaian dikirim kepada pelapor.")

    return _act(request, pk, call)


@domain_page
@require_POST
def reject(request, pk: int):
    form = RejectForm(request.POST)
    form.is_valid()

    def call(g):
        original = None
        raw = form.cleaned_data.get("duplicate_code", "")
        if raw:
            original = Grievance.objects.filter(code=services.normalize_code(raw)).first()
            if original is None or not selectors.staff_can_see(request.user, original):
                raise DomainError("duplicate_unknown", services.MSG_DUPLICATE_REQUIRED, field="duplicate_code")
        services.grievance_reject(actor=request.user, grievance=g, reason=form.cleaned_data.get("reason", ""),
                                  duplicate_of=original)
        return _t("Pengaduan ditutup.")

    return _act(request, pk, call)


@domain_page
@require_POST
def reclassify(request, pk: int):
    form = ReclassifyForm(request.POST)
    form.is_valid()

    def call(g):
        services.grievance_reclassify(actor=request.user, grievance=g, track=form.cleaned_data.get("track", ""),
                                      reason=form.cleaned_data.get("reason", ""))
        return _t("Jenis penanganan diubah; batas penyelesaian dihitung ulang.")

    return _act(request, pk, call)


@perm_required(P.GRIEVANCE_DASHBOARD)
@domain_page
@require_http_methods(["GET"])
def dashboard(request):
    return render(request, "grievances/dashboard.html", {"d": selectors.dashboard(user=request.user)})
