"""Referral pages: the agency's inbox, one referral with its answers, and sending a family onwards.

Thin: each view reads through ``selectors.referrals``, writes through ``services.referrals`` and
turns refusals into form errors (422, nothing changed), 404 (not visible) or 403 (not allowed).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.forms import domain_page, form_attempt
from bansos.programs.access import can_program
from bansos.programs.forms_referrals import (
    ReferralAcceptForm, ReferralDeclineForm, ReferralEnrollForm, ReferralFilterForm, ReferralSendForm,
)
from bansos.programs.models import REFERRAL_TRANSITIONS, Participant, ProgramStatus, ReferralStatus
from bansos.programs.selectors import referrals as selectors
from bansos.programs.services import referrals as services
from bansos.registry import selectors as registry_selectors

PAGE_SIZE = 25


def _require_manage(user) -> None:
    if not has_role_perm(user, P.REFERRAL_MANAGE):
        raise PermissionDenied


def _maybe_url(name: str, *args) -> str | None:
    """A page of another part of the programs app, when it exists already."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- Inbox ----------------------------------------------------------------------------------------


@domain_page
@require_http_methods(["GET"])
def referral_list(request):
    user = request.user
    _require_manage(user)
    is_admin = user.role == Role.ADMIN
    # The admin sees every referral at once; an officer reads the inbox (incoming) unless asked otherwise.
    direction = request.GET.get("arah", "")
    if is_admin:
        direction = selectors.ALL
    elif direction not in (selectors.INCOMING, selectors.OUTGOING, selectors.ALL):
        direction = selectors.INCOMING
    form = ReferralFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    qs = selectors.referral_list(user=user, direction=direction, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("arah", direction), ("status", status)) if v})
    return render(request, "programs/referrals/referral_list.html", {
        "page": page, "form": form, "direction": direction, "status": status, "is_admin": is_admin,
        "counts": selectors.referral_counts(user=user), "query": query,
        "INCOMING": selectors.INCOMING, "OUTGOING": selectors.OUTGOING,
    })


# --- One referral -------------------------------------------------------------------------------


def _detail_context(request, referral, **forms) -> dict:
    user = request.user
    to_program = referral.to_program
    can_answer = can_program(user, P.REFERRAL_MANAGE, to_program)
    allowed = REFERRAL_TRANSITIONS[ReferralStatus(referral.status)]
    person = to_program.participant == Participant.RESIDENT
    accepting = to_program.status in (ProgramStatus.OPEN, ProgramStatus.RUNNING)
    context = {
        "referral": referral,
        "can_answer": can_answer,
        "can_accept": can_answer and ReferralStatus.ACCEPTED in allowed,
        "can_decline": can_answer and ReferralStatus.DECLINED in allowed,
        "can_enroll": can_answer and ReferralStatus.ENROLLED in allowed and accepting,
        "enroll_closed": can_answer and ReferralStatus.ENROLLED in allowed and not accepting,
        "accept_form": ReferralAcceptForm(prefix="accept"),
        "decline_form": ReferralDeclineForm(prefix="decline"),
        "enroll_form": ReferralEnrollForm(
            prefix="enroll", members=selectors.household_members(household=referral.household), person_program=person,
            initial={"resident": referral.resident_id},
        ),
        "enrollment_url": None,
        "household_url": reverse("registry:household_detail", args=[referral.household_id]),
    }
    if referral.enrollment_id and can_program(user, P.ENROLLMENT_MANAGE, to_program):
        context["enrollment_url"] = _maybe_url("programs:enrollment_detail", referral.enrollment_id)
    context.update(forms)
    return context


def _to_detail(referral_id: int):
    return redirect("programs:referral_detail", pk=referral_id)


@domain_page
@require_http_methods(["GET"])
def referral_detail(request, pk: int):
    _require_manage(request.user)
    referral = selectors.referral_get(user=request.user, pk=pk)
    return render(request, "programs/referrals/referral_detail.html", _detail_context(request, referral))


def _answer(request, pk: int, form, call, done_message: str, form_name: str):
    """Validate ``form``, run the service ``call(referral, data)``; 422 with the errors otherwise."""
    _require_manage(request.user)
    referral = selectors.referral_get(user=request.user, pk=pk)
    if not can_program(request.user, P.REFERRAL_MANAGE, referral.to_program):
        raise PermissionDenied
    if form is None:
        form = ReferralEnrollForm(
            request.POST, prefix="enroll", members=selectors.household_members(household=referral.household),
            person_program=referral.to_program.participant == Participant.RESIDENT,
        )
    if form.is_valid():
        ok, result = form_attempt(form, lambda: call(referral, form.cleaned_data))
        if ok:
            messages.success(request, done_message)
            return result or _to_detail(referral.pk)
    context = _detail_context(request, referral, **{form_name: form})
    shown = {"accept_form": context["can_accept"], "decline_form": context["can_decline"],
             "enroll_form": context["can_enroll"]}
    if not shown[form_name]:
        # The answer is no longer offered (someone answered first): its errors go to the top of the page.
        context["orphan_errors"] = [e for errors in form.errors.values() for e in errors]
    return render(request, "programs/referrals/referral_detail.html", context, status=422)


@domain_page
@require_POST
def referral_accept(request, pk: int):
    form = ReferralAcceptForm(request.POST, prefix="accept")

    def call(referral, data):
        services.referral_accept(actor=request.user, referral=referral, response=data["response"])

    return _answer(request, pk, form, call, _t("Rujukan diterima."), "accept_form")


@domain_page
@require_POST
def referral_decline(request, pk: int):
    form = ReferralDeclineForm(request.POST, prefix="decline")

    def call(referral, data):
        services.referral_decline(actor=request.user, referral=referral, response=data["response"])

    return _answer(request, pk, form, call, _t("Rujukan ditolak; alasannya dicatat."), "decline_form")


@domain_page
@require_POST
def referral_enroll(request, pk: int):
    def call(referral, data):
        enrollment = services.referral_enroll(actor=request.user, referral=referral,
                                              resident=data.get("resident"), note=data["note"])
        url = _maybe_url("programs:enrollment_detail", enrollment.pk)
        return redirect(url) if url else None

    return _answer(request, pk, None, call, _t("Keluarga didaftarkan ke program dari rujukan ini."), "enroll_form")


# --- Send -------------------------------------------------------------------------------------------


@domain_page
@require_http_methods(["GET", "POST"])
def referral_create(request, household_id: int):
    """Refer a family to another program: from one of its programs in the user's agency (admin: any)."""
    user = request.user
    _require_manage(user)
    household = registry_selectors.household_get(user=user, pk=household_id)
    origins = selectors.referral_origins(user=user, household=household)
    is_admin = user.role == Role.ADMIN
    if not is_admin and not origins.exists():
        raise PermissionDenied
    initial = {}
    if request.method == "GET" and (request.GET.get("dari") or "").isdigit():
        initial["from_program"] = int(request.GET["dari"])
    form = ReferralSendForm(
        request.POST or None, initial=initial, origins=origins, targets=selectors.referral_targets(),
        members=selectors.household_members(household=household), origin_optional=is_admin,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _referral = form_attempt(form, lambda: services.referral_send(
            actor=user, household=household, to_program=data["to_program"], from_program=data.get("from_program"),
            resident=data.get("resident"), note=data["note"],
        ))
        if ok:
            messages.success(request, _t("Rujukan dikirim ke %(program)s.") % {"program": data["to_program"].name})
            return redirect(reverse("registry:household_detail", args=[household.pk]) + "#program-bantuan")
    status = 422 if request.method == "POST" else 200
    return render(request, "programs/referrals/referral_form.html", {"form": form, "household": household},
                  status=status)
