"""Staff pages: the usul/sanggah queue with field-check and decision forms, proposal review, list settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.permissions import P
from bansos.community import selectors
from bansos.community.forms import (
    AnswerForm, ApproveForm, DecisionForm, FieldCheckForm, FindingForm, ListingSettingsForm, NominationDecisionForm,
)
from bansos.community.models import CaseStatus, ObjectionOutcome
from bansos.community.services import cases, proposals
from bansos.community.services.listing import listing_settings, listing_settings_update
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.programs.access import can_program

PAGE_SIZE = 25


@perm_required(P.NOMINATION_DECIDE)
@domain_page
@require_http_methods(["GET"])
def queue(request):
    kind = request.GET.get("jenis", "usul")
    status = request.GET.get("status", "")
    status = status if status in CaseStatus.values else ""
    findings = request.GET.get("temuan") == "1"
    if kind == "sanggah":
        qs = selectors.objection_queue(user=request.user, status=status, findings=findings)
    else:
        kind, qs = "usul", selectors.nomination_queue(user=request.user, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "community/queue.html", {
        "page": page, "kind": kind, "status": status, "statuses": CaseStatus.choices, "findings": findings,
    })


def _nomination_page(request, nomination, *, check=None, decide=None, status=200):
    return render(request, "community/nomination_detail.html", {
        "case": nomination,
        "check_form": check or FieldCheckForm(),
        "decide_form": decide or NominationDecisionForm(household=nomination.household),
    }, status=status)


@domain_page
@require_http_methods(["GET"])
def nomination_detail(request, pk: int):
    return _nomination_page(request, selectors.nomination_get(user=request.user, pk=pk))


@domain_page
@require_POST
def nomination_check(request, pk: int):
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    form = FieldCheckForm(request.POST)
    if form.is_valid():
        ok, _n = form_attempt(form, lambda: cases.nomination_check(
            actor=request.user, nomination=nomination, note=form.cleaned_data["field_note"],
            date=form.cleaned_data["field_date"]))
        if ok:
            messages.success(request, _t("Hasil cek lapangan dicatat."))
            return redirect("community:nomination_detail", pk=pk)
    return _nomination_page(request, nomination, check=form, status=400)


@domain_page
@require_POST
def nomination_decide(request, pk: int):
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    form = NominationDecisionForm(request.POST, household=nomination.household)
    if form.is_valid():
        d = form.cleaned_data
        ok, _n = form_attempt(form, lambda: cases.nomination_decide(
            actor=request.user, nomination=nomination, accept=d["decision"] == "accept", reason=d["reason"],
            resident=d["resident"]))
        if ok:
            messages.success(request, _t("Keputusan dicatat dan pengusul diberi tahu."))
            return redirect("community:nomination_detail", pk=pk)
    return _nomination_page(request, nomination, decide=form, status=400)


def _objection_page(request, objection, *, check=None, decide=None, finding=None, status=200):
    can_close = (objection.outcome == ObjectionOutcome.FINDING and objection.finding_closed_at is None
                 and can_program(request.user, P.ENROLLMENT_MANAGE, objection.program))
    return render(request, "community/objection_detail.html", {
        "case": objection, "check_form": check or FieldCheckForm(), "decide_form": decide or DecisionForm(),
        "finding_form": finding or FindingForm(), "can_close_finding": can_close,
    }, status=status)


@domain_page
@require_http_methods(["GET"])
def objection_detail(request, pk: int):
    return _objection_page(request, selectors.objection_get(user=request.user, pk=pk))


@domain_page
@require_POST
def objection_check(request, pk: int):
    objection = selectors.objection_get(user=request.user, pk=pk)
    form = FieldCheckForm(request.POST)
    if form.is_valid():
        ok, _o = form_attempt(form, lambda: cases.objection_check(
            actor=request.user, objection=objection, note=form.cleaned_data["field_note"],
            date=form.cleaned_data["field_date"]))
        if ok:
            messages.success(request, _t("Hasil cek lapangan dicatat."))
            return redirect("community:objection_detail", pk=pk)
    return _objection_page(request, objection, check=form, status=400)


@domain_page
@require_POST
def objection_decide(request, pk: int):
    objection = selectors.objection_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        ok, _o = form_attempt(form, lambda: cases.objection_decide(
            actor=request.user, objection=objection, accept=d["decision"] == "accept", reason=d["reason"]))
        if ok:
            messages.success(request, _t("Keputusan dicatat dan penyanggah diberi tahu."))
            return redirect("community:objection_detail", pk=pk)
    return _objection_page(request, objection, decide=form, status=400)


@domain_page
@require_POST
def objection_finding(request, pk: int):
    objection = selectors.objection_get(user=request.user, pk=pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        ok, _o = form_attempt(form, lambda: cases.objection_finding_close(
            actor=request.user, objection=objection, suspend=form.cleaned_data["suspend"] == "yes",
            note=form.cleaned_data["note"]))
        if ok:
            messages.success(request, _t("Tindak lanjut temuan dicatat."))
            return redirect("community:objection_detail", pk=pk)
    return _objection_page(request, objection, finding=form, status=400)


# --- youth proposals -----------------------------------------------------------------------------------

@perm_required(P.PROPOSAL_REVIEW)
@domain_page
@require_http_methods(["GET"])
def review_list(request):
    page = Paginator(selectors.proposal_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "community/review_list.html", {"page": page})


def _review_page(request, proposal, *, answer=None, approve=None, status=200):
    return render(request, "community/review_detail.html", {
        "proposal": proposal, "answer_form": answer or AnswerForm(initial={"answer": proposal.answer}),
        "approve_form": approve or ApproveForm(),
    }, status=status)


@perm_required(P.PROPOSAL_REVIEW)
@domain_page
@require_http_methods(["GET"])
def review_detail(request, pk: int):
    return _review_page(request, selectors.proposal_get(pk=pk))


@perm_required(P.PROPOSAL_REVIEW)
@domain_page
@require_POST
def review_answer(request, pk: int):
    proposal = selectors.proposal_get(pk=pk)
    form = AnswerForm(request.POST)
    decline = request.POST.get("decision") == "decline"
    if form.is_valid():
        service = proposals.proposal_decline if decline else proposals.proposal_answer
        ok, _p = form_attempt(form, lambda: service(actor=request.user, proposal=proposal,
                                                    answer=form.cleaned_data["answer"]))
        if ok:
            messages.success(request, _t("Jawaban diterbitkan dan pengusul diberi tahu."))
            return redirect("community:review_detail", pk=pk)
    return _review_page(request, proposal, answer=form, status=400)


@perm_required(P.PROPOSAL_REVIEW)
@domain_page
@require_POST
def review_approve(request, pk: int):
    proposal = selectors.proposal_get(pk=pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        ok, _p = form_attempt(form, lambda: proposals.proposal_approve(
            actor=request.user, proposal=proposal, answer=d["answer"], agency=d["agency"],
            start_date=d["start_date"], end_date=d["end_date"]))
        if ok:
            messages.success(request, _t("Usulan disetujui; draf program dibuat."))
            return redirect("community:review_detail", pk=pk)
    return _review_page(request, proposal, approve=form, status=400)


# --- the beneficiary list's settings ------------------------------------------------------------------

@perm_required(P.AREAS_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def listing_settings_edit(request):
    settings = listing_settings()
    initial = {"enabled": settings.enabled, "audience": settings.audience, "masking": settings.masking,
               "programs": list(settings.programs.all()), "agencies": list(settings.consenting_agencies.all())}
    form = ListingSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _s = form_attempt(form, lambda: listing_settings_update(
            actor=request.user, enabled=d["enabled"], audience=d["audience"], masking=d["masking"],
            programs=list(d["programs"]), agencies=list(d["agencies"])))
        if ok:
            messages.success(request, _t("Pengaturan daftar penerima disimpan."))
            return redirect("community:listing_settings")
    return render(request, "community/listing_settings.html", {"form": form},
                  status=400 if form.is_bound else 200)
