"""Enrollment pages: a program's participants, applying one household, one enrollment with its
transitions and history, an RT/RW officer's nomination, and enrollment in bulk from a rule run.

Who may do what: staff with ENROLLMENT_MANAGE on the program (an officer of the program's agency, or
the kelurahan admin) use every page except the nomination, which is for those with
ENROLLMENT_NOMINATE on the household (an RT/RW officer in their own area, or the admin). Refusals
come from the selectors and services; the views only turn them into 403/404 or form errors.

Bulk steps (``enrollment_bulk``): each step is one all-or-nothing service call. A batch smaller than
``tasks.SYNC_LIMIT`` (5,000) runs within the request; a larger one is queued for the task worker so
no request waits on it. Either way the outcome (done, and skipped by reason, or the error) is an
audit event on the program, and this page lists those outcomes; while a queued job has none yet
the page polls ``enrollment_bulk_jobs`` and reloads itself when it arrives. There is no progress bar
for a running job: its rows are committed at once at the end, so any percentage would be invented.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from bansos.accounts.permissions import P, has_perm
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.forms import apply_domain_error, domain_page
from bansos.core.formats import rupiah, tanggal
from bansos.programs import tasks
from bansos.programs.forms_enrollment import (
    ACTION_LABELS, MSG_LOOKUP_FORMAT, RESUME_LABEL, ApplyForm, BulkApproveForm, BulkRunForm, BulkVerifyForm,
    EnrollmentFilterForm, LookupForm, NominateForm, TransitionForm,
)
from bansos.programs.models import Channel, Enrollment, EnrollmentState, Participant
from bansos.programs.selectors import enrollment as selectors
from bansos.programs.services import bulk as bulk_services
from bansos.programs.services import enrollment as services
from bansos.programs.services import overlap
from bansos.registry.history import history_entries

PAGE_SIZE = 25

MSG_NOT_FOUND = _("Tidak ada keluarga dengan nomor KK atau NIK ini di registri. Periksa kembali angkanya; "
                  "keluarga yang belum terdaftar didata dahulu oleh RT/RW.")
MSG_INACTIVE = _("Keluarga ini tidak aktif di registri (%(status)s), jadi tidak dapat didaftarkan.")
MSG_ALREADY = _("Keluarga ini sudah terdaftar di program ini dan kepesertaannya belum selesai.")
MSG_ALL_MEMBERS = _("Semua anggota aktif keluarga ini sudah terdaftar di program ini.")
MSG_APPLIED = _("%(who)s didaftarkan ke %(program)s.")
MSG_NOMINATED = _("Usulan untuk %(program)s tercatat; petugas program akan memeriksanya.")
MSG_MOVED = _("Status kepesertaan sekarang: %(state)s.")
MSG_BULK_DONE = _("%(step)s selesai: %(done)s diproses, %(skipped)s dilewati.")
MSG_BULK_QUEUED = _("%(step)s untuk %(count)s pendaftaran berjalan di latar belakang. Hasilnya tampil di "
                    "halaman ini setelah selesai.")


def _program_url(program) -> str | None:
    # The program page belongs to the catalog pages; link to it when that URL exists.
    try:
        return reverse("programs:program_detail", args=[program.pk])
    except NoReverseMatch:
        return None


def _program_context(request, program, active: str) -> dict:
    return {
        "program": program, "program_url": _program_url(program), "active_tab": active,
        "accepting": program.status in selectors.ACCEPTING,
        "can_bulk": program.rule_id is not None,
    }


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


# --- List ----------------------------------------------------------------------------------------------


@domain_page
def enrollment_list(request, program_id: int):
    program = selectors.program_for_enrollment(user=request.user, program_id=program_id)
    form = EnrollmentFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.EnrollmentFilters(q=data.get("q", ""), state=data.get("state", ""))
    qs = selectors.enrollment_search(program=program, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Decorate only this page's rows (head, RT/RW, decile): never a join over every participant.
    ids = list(page.object_list.values_list("pk", flat=True))
    rows = list(selectors.enrollment_list_page(Enrollment.objects.filter(pk__in=ids)).order_by("-applied_at", "-pk"))
    counts = selectors.enrollment_state_counts(program=program)
    base = {"q": filters.q} if filters.q else {}
    tabs = [{"state": "", "label": _t("Semua"), "count": counts["all"], "query": urlencode(base)}]
    tabs += [{"state": value, "label": label, "count": counts[value], "query": urlencode({**base, "state": value})}
             for value, label in EnrollmentState.choices]
    query = urlencode({**base, **({"state": filters.state} if filters.state else {})})
    context = {
        **_program_context(request, program, "list"), "form": form, "page": page, "rows": rows, "tabs": tabs,
        "state": filters.state, "q": filters.q, "query": query,
        "detail_prefix": reverse("programs:enrollment_detail", args=[0])[:-2],
        "person_program": program.participant == Participant.RESIDENT,
    }
    return render(request, "programs/enrollment/list.html", context)


# --- Apply one household ------------------------------------------------------------------------------


def _lookup_problem(lookup: selectors.Lookup) -> str:
    if lookup.problem == "format":
        return str(MSG_LOOKUP_FORMAT)
    if lookup.problem == "not_found":
        return str(MSG_NOT_FOUND)
    if lookup.problem == "inactive":
        return str(MSG_INACTIVE) % {"status": lookup.household.get_status_display().lower()}
    if lookup.problem == "already":
        return str(MSG_ALREADY if lookup.household_enrolled else MSG_ALL_MEMBERS)
    return ""


@domain_page
@require_http_methods(["GET", "POST"])
def enrollment_apply(request, program_id: int):
    """Find a household by its exact KK number or a member's NIK, check the rule, and apply it."""
    program = selectors.program_for_enrollment(user=request.user, program_id=program_id)
    source = request.POST if request.method == "POST" else request.GET
    lookup_form = LookupForm(source if "q" in source else None)
    context = {**_program_context(request, program, "apply"), "lookup_form": lookup_form}
    status = 200
    if lookup_form.is_bound and lookup_form.is_valid():
        lookup = selectors.household_lookup(program=program, text=lookup_form.cleaned_data["q"])
        context.update({"lookup": lookup, "problem": _lookup_problem(lookup)})
        if lookup.household is not None and lookup.problem in ("", "already"):
            context["open_enrollments"] = lookup.open_enrollments
            context["explanation"] = selectors.rule_check(program=program, household=lookup.household)
        if lookup.household is not None and not lookup.problem:
            taken = {rid for rid in lookup.enrolled_ids if rid is not None}
            apply_form = ApplyForm(request.POST if request.method == "POST" else None, program=program,
                                   members=lookup.members, taken=taken,
                                   initial={"household": lookup.household.pk})
            context["apply_form"] = apply_form
            if request.method == "POST":
                if apply_form.is_valid():
                    resident = None
                    if apply_form.person_program:
                        resident = next(m for m in lookup.members if m.pk == apply_form.cleaned_data["resident"])
                    try:
                        enrollment = services.enrollment_apply(
                            actor=request.user, program=program, household=lookup.household, resident=resident,
                            channel=Channel.STAFF, note=apply_form.cleaned_data["note"])
                    except (NotFoundError, PermissionDeniedError):
                        raise
                    except DomainError as exc:
                        apply_domain_error(apply_form, exc)
                    else:
                        who = resident.full_name if resident else f"KK {lookup.household.kk_number}"
                        messages.success(request, MSG_APPLIED % {"who": who, "program": program.name})
                        return redirect("programs:enrollment_detail", pk=enrollment.pk)
                status = 422
        elif request.method == "POST":
            status = 422
    elif lookup_form.is_bound:
        status = 422
    return render(request, "programs/enrollment/apply.html", context, status=status)


# --- Nomination by an RT/RW officer --------------------------------------------------------------------


@domain_page
@require_http_methods(["GET", "POST"])
def enrollment_nominate(request, household_id: int):
    """An RT/RW officer nominates a household of their area into an open program (channel: nomination)."""
    household = selectors.household_for_nomination(user=request.user, household_id=household_id)
    programs = selectors.nomination_programs(household=household)
    members = selectors.household_members(household=household)
    form = NominateForm(request.POST or None, programs=programs, members=members)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = next(row["program"] for row in programs if row["program"].pk == form.cleaned_data["program"])
            resident_id = form.cleaned_data["resident"]
            resident = next((m for m in members if m.pk == resident_id), None)
            try:
                services.enrollment_apply(actor=request.user, program=chosen, household=household, resident=resident,
                                          channel=Channel.NOMINATION, note=form.cleaned_data["note"])
            except NotFoundError:
                raise
            except PermissionDeniedError:
                raise
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, MSG_NOMINATED % {"program": chosen.name})
                return redirect("registry:household_detail", pk=household.pk)
        status = 422
    rows = [{**row, "person": row["program"].participant == Participant.RESIDENT} for row in programs]
    return render(request, "programs/enrollment/nominate.html", {
        "household": household, "rows": rows, "form": form, "members": members,
        "can_view_household": has_perm(request.user, P.HOUSEHOLD_VIEW, household),
    }, status=status)


# --- One enrollment --------------------------------------------------------------------------------------


def _transition_forms(enrollment: Enrollment, bound: TransitionForm | None = None) -> list[TransitionForm]:
    forms = []
    for target in selectors.enrollment_next_states(enrollment):
        form = bound if bound is not None and bound.target == target else TransitionForm(target=target)
        form.button = (RESUME_LABEL if enrollment.state == EnrollmentState.SUSPENDED
                       and target == EnrollmentState.ACTIVE else ACTION_LABELS[target])
        form.danger = target in (EnrollmentState.REJECTED, EnrollmentState.EXITED, EnrollmentState.SUSPENDED)
        forms.append(form)
    return forms


def _approval_preview(request, enrollment: Enrollment) -> dict:
    """What approving would do now: the cost against the remaining budget, and any overlap conflicts."""
    program = enrollment.program
    if enrollment.state != EnrollmentState.VERIFIED:
        return {}
    forbidden, warnings = overlap.overlap_check(program=program, household_id=enrollment.household_id)
    return {
        "cost": program.cost_per_participant, "remaining": program.budget_remaining,
        "short": program.cost_per_participant > program.budget_remaining,
        "seats_left": program.seats_remaining,
        "forbidden": overlap.conflict_message(forbidden, user=request.user, forbid=True) if forbidden else "",
        "warning": overlap.conflict_message(warnings, user=request.user, forbid=False) if warnings else "",
    }


# The enrollment's audit changes, keyed by field name: shown with Indonesian labels and values.
CHANGE_LABELS = {
    "program": _("program"), "state": _("status"), "channel": _("jalur pendaftaran"), "resident": _("peserta"),
    "committed_amount": _("dana dikomitmenkan"), "released_amount": _("dana dilepas kembali"),
    "overlap_warning": _("peringatan tumpang tindih"), "rule_run": _("hasil penilaian aturan"),
}
_CHOICES = {"state": dict(EnrollmentState.choices), "channel": dict(Channel.choices)}


def _change_value(name: str, value):
    if value is None or value == "":
        return None
    if name in _CHOICES:
        return str(_CHOICES[name].get(value, value))
    if name in ("committed_amount", "released_amount") and isinstance(value, int):
        return rupiah(value)
    if name == "rule_run":
        return f"#{value}"
    return value


def _history(enrollment: Enrollment, user) -> list[dict]:
    """The enrollment's events through the household history's formatter, with readable field names."""
    # An admin's approval warning may name another agency's program: the household history's
    # redaction applies here as well, so an officer reads the same history on both pages.
    from bansos.programs.panels import redact_history

    events, singles = [], []
    for event in redact_history(user=user, events=list(selectors.enrollment_history(enrollment=enrollment))):
        readable, single = {}, set()
        for name, pair in (event.changes or {}).items():
            if name == "program":
                continue  # the page is about this program already
            label = str(CHANGE_LABELS.get(name, name))
            if isinstance(pair, list):
                old, new = (list(pair) + [None, None])[:2]
            else:
                old, new = None, pair
                single.add(label)  # a value recorded with the event, not a change "from -> to"
            readable[label] = [_change_value(name, old), _change_value(name, new)]
        event.changes = readable  # a display copy: the event is never saved from here
        event.object_type = ""  # the labels above are final; no model field look-up
        events.append(event)
        singles.append(single)
    entries = history_entries(events, user=user, can_nik=has_perm(user, P.NIK_FULL, enrollment.household))
    for entry, single in zip(entries, singles):
        for change in entry["changes"]:
            if change["label"] in single:
                change["old"] = None
    return entries


def _detail(request, enrollment: Enrollment, *, bound: TransitionForm | None = None, status: int = 200):
    user = request.user
    can_household = has_perm(user, P.HOUSEHOLD_VIEW, enrollment.household)
    history = _history(enrollment, user)
    approval = _approval_preview(request, enrollment)
    forms = _transition_forms(enrollment, bound)
    for form in forms:
        if form.target == EnrollmentState.APPROVED and not form.warning and approval.get("warning"):
            form.warning = approval["warning"]
    participant = enrollment.resident or enrollment.household.head
    return render(request, "programs/enrollment/detail.html", {
        **_program_context(request, enrollment.program, "detail"), "enrollment": enrollment,
        "participant": participant, "history": history, "forms": forms, "approval": approval,
        "can_view_household": can_household, "unspent": enrollment.committed_amount - enrollment.disbursed_amount,
    }, status=status)


@domain_page
def enrollment_detail(request, pk: int):
    enrollment = selectors.enrollment_get(user=request.user, pk=pk)
    return _detail(request, enrollment)


@domain_page
@require_POST
def enrollment_transition(request, pk: int):
    """One transition from the detail page; a refusal re-draws the page with the service's message."""
    enrollment = selectors.enrollment_get(user=request.user, pk=pk)
    target = request.POST.get("to", "")
    if target not in selectors.enrollment_next_states(enrollment):
        # A stale page (someone else moved it meanwhile) or a forged state: say so, change nothing.
        messages.error(request, services.MSG_TRANSITION % {
            "old": enrollment.get_state_display(), "new": dict(EnrollmentState.choices).get(target, target)})
        return redirect("programs:enrollment_detail", pk=enrollment.pk)
    form = TransitionForm(request.POST, target=target)
    if not form.is_valid():
        return _detail(request, enrollment, bound=form, status=422)
    try:
        moved = services.enrollment_transition(
            actor=request.user, enrollment=enrollment, to=target, reason=form.cleaned_data["reason"],
            acknowledge_warnings=form.cleaned_data.get("acknowledge_warnings", False))
    except (NotFoundError, PermissionDeniedError):
        raise
    except DomainError as exc:
        if exc.code == "overlap_warning":
            form.warning = exc.text
            form.add_error(None, _t("Periksa peringatan di bawah, lalu centang konfirmasi untuk tetap menyetujui."))
        else:
            form.add_error("reason" if exc.field == "reason" else None, exc.text)
        enrollment = selectors.enrollment_get(user=request.user, pk=pk)
        return _detail(request, enrollment, bound=form, status=422)
    messages.success(request, MSG_MOVED % {"state": moved.get_state_display()})
    return redirect("programs:enrollment_detail", pk=moved.pk)


# --- Bulk from a rule run ------------------------------------------------------------------------------------


def _run_label(run) -> str:
    return _t("Penilaian #%(id)s · %(date)s · %(n)s keluarga layak · versi %(v)s") % {
        "id": run.pk, "date": tanggal(run.finished_at or run.created_at),
        "n": _number(run.eligible_count or 0), "v": run.version.number}


def _job_rows(jobs) -> list[dict]:
    rows = []
    for job in jobs:
        rows.append({
            "job": job, "label": tasks.STEP_LABELS.get(job.step, job.step),
            "skipped": [{"code": code, "label": tasks.SKIP_LABELS.get(code, code), "count": n}
                        for code, n in sorted(job.skipped.items(), key=lambda kv: -kv[1])],
        })
    return rows


def _bulk_context(request, program, *, run_id=None) -> dict:
    runs = selectors.program_done_runs(program=program)
    for run in runs:
        run.label = _run_label(run)
    chosen = selectors.program_done_run(program=program, run_id=run_id) if run_id else (runs[0] if runs else None)
    preview = None
    if chosen is not None:
        preview = bulk_services.enrollment_bulk_preview(actor=request.user, program=program, run=chosen)
    waiting = selectors.bulk_waiting(program=program)
    cost = program.cost_per_participant
    places = selectors.approval_room(program=program)
    jobs = selectors.bulk_jobs(program=program)
    return {
        **_program_context(request, program, "bulk"),
        "runs": runs, "run": chosen, "preview": preview, "waiting": waiting, "cost": cost, "places": places,
        "approvable": waiting["verified"] if places is None else min(places, waiting["verified"]),
        "run_form": BulkRunForm(initial={"run": chosen.pk} if chosen else None,
                                runs=[(r.pk, r.label) for r in runs]),
        "verify_form": BulkVerifyForm(), "approve_form": BulkApproveForm(),
        "jobs": _job_rows(jobs), "pending": any(j.pending for j in jobs),
        "highlight": request.GET.get("job", ""), "sync_limit": tasks.SYNC_LIMIT,
    }


@domain_page
@require_http_methods(["GET", "POST"])
def enrollment_bulk(request, program_id: int):
    """Preview and run the bulk steps: apply a rule run's households, verify, approve within budget.

    A step smaller than ``tasks.SYNC_LIMIT`` (5,000) runs in this request; a larger one is queued for
    the task worker (django-tasks) and this page shows "running" until the worker's outcome event
    appears. Both write the same outcome audit event (done + skipped by reason, or the error), so
    the results list below the steps does not depend on how the step ran. Only one job per program
    at a time: the page refuses a new step while one is queued (the services also lock the program
    row, so two jobs that slipped past that check would still run one after the other).
    """
    program = selectors.program_for_enrollment(user=request.user, program_id=program_id)
    if request.method == "GET":
        run_id = request.GET.get("run")
        context = _bulk_context(request, program, run_id=run_id)
        if run_id and context["run"] is None:
            raise Http404
        return render(request, "programs/enrollment/bulk.html", context)
    step = request.POST.get("step", "")
    run = None
    form = None
    if step == tasks.APPLY:
        run = selectors.program_done_run(program=program, run_id=request.POST.get("run"))
        if run is None:
            messages.error(request, tasks.MSG_RUN_REQUIRED)
            return redirect("programs:enrollment_bulk", program_id=program.pk)
    elif step == tasks.VERIFY:
        form = BulkVerifyForm(request.POST)
    elif step == tasks.APPROVE:
        form = BulkApproveForm(request.POST)
    if form is not None and not form.is_valid():
        context = _bulk_context(request, program)
        context["verify_form" if step == tasks.VERIFY else "approve_form"] = form
        return render(request, "programs/enrollment/bulk.html", context, status=422)
    data = form.cleaned_data if form is not None else {}
    try:
        started = tasks.enrollment_bulk_start(
            actor=request.user, program=program, step=step, run=run, note=data.get("note", ""),
            acknowledge_warnings=data.get("acknowledge_warnings", False))
    except PermissionDeniedError:
        raise PermissionDenied from None
    except DomainError as exc:
        if form is not None and exc.field == "note" and "note" in form.fields:
            form.add_error("note", exc.text)
            context = _bulk_context(request, program)
            context["verify_form"] = form
            return render(request, "programs/enrollment/bulk.html", context, status=422)
        messages.error(request, exc.text)
        return redirect(_bulk_url(program, run))
    label = tasks.STEP_LABELS[step]
    if started.background:
        messages.info(request, MSG_BULK_QUEUED % {"step": label, "count": _number(started.count)})
    else:
        result = started.result
        messages.success(request, MSG_BULK_DONE % {"step": label, "done": _number(result.done),
                                                  "skipped": _number(sum(result.skipped.values()))})
    return redirect(_bulk_url(program, run, job=started.job))


def _bulk_url(program, run=None, job: str = "") -> str:
    params = {k: v for k, v in (("run", run.pk if run else ""), ("job", job)) if v}
    url = reverse("programs:enrollment_bulk", args=[program.pk])
    return f"{url}?{urlencode(params)}#hasil" if params else url


@domain_page
def enrollment_bulk_jobs(request, program_id: int):
    """The jobs list alone, for polling while a queued job runs; reloads the page when it has finished."""
    program = selectors.program_for_enrollment(user=request.user, program_id=program_id)
    jobs = selectors.bulk_jobs(program=program)
    pending = any(j.pending for j in jobs)
    if request.htmx and not pending and request.GET.get("waiting"):
        return HttpResponseClientRefresh()
    return render(request, "programs/enrollment/_jobs.html", {
        "program": program, "jobs": _job_rows(jobs), "pending": pending, "highlight": request.GET.get("job", ""),
    })
