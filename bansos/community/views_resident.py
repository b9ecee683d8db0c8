"""Resident pages (extend ``portal/base.html``): usul, sanggah, my cases, the beneficiary list, youth proposals.

Thin: parse, call one service or selector, render. The proposal list and detail are public; the
beneficiary list follows the admin's setting (``selectors.can_view_listing``).
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.community import selectors
from bansos.community.access import is_resident
from bansos.community.forms import NominationForm, ObjectionForm, ProposalForm
from bansos.community.models import ProposalStatus
from bansos.community.services import cases, proposals
from bansos.community.services.proposals import youth_age_ok
from bansos.community.services.common import today
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.forms import form_attempt
from bansos.core.models import RW


def resident_page(view):
    """Sign-in required, then 403 unless the user is a resident with a household."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_resident(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFoundError:
            raise Http404 from None
        except PermissionDeniedError:
            raise PermissionDenied from None

    return wrapper


def public_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFoundError:
            raise Http404 from None
        except PermissionDeniedError:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied from None

    return wrapper


@resident_page
@require_http_methods(["GET"])
def my_cases(request):
    return render(request, "community/my_cases.html", {
        "nominations": selectors.my_nominations(user=request.user),
        "objections": selectors.my_objections(user=request.user),
    })


@resident_page
@require_http_methods(["GET", "POST"])
def nominate(request):
    form = NominationForm(request.POST or None, programs=selectors.nominable_programs())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _case = form_attempt(form, lambda: cases.nomination_create(
            actor=request.user, program=d["program"], relation=d["relation"], reason=d["reason"],
            kk_number=d["kk_number"], rt=d["rt"], address=d["address"]))
        if ok:
            messages.success(request, _t("Usul Anda terkirim. Petugas akan memeriksanya di lapangan."))
            return redirect("community:my_cases")
    return render(request, "community/nominate.html", {"form": form}, status=400 if form.is_bound else 200)


@resident_page
@require_http_methods(["GET", "POST"])
def object_to(request, pk: int):
    enrollment = selectors.listed_enrollment(pk=pk)
    rw = enrollment.household.rt.rw
    if not selectors.can_view_listing(request.user, rw):
        raise PermissionDenied
    entry = next((e for block in selectors.beneficiary_list(user=request.user, rw=rw, program_id=enrollment.program_id)
                  for e in block["entries"] if e["id"] == enrollment.pk), None)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _case = form_attempt(form, lambda: cases.objection_create(
            actor=request.user, enrollment=enrollment, reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _t("Sanggah Anda terkirim. Petugas akan memeriksanya di lapangan."))
            return redirect("community:my_cases")
    return render(request, "community/object.html", {"form": form, "entry": entry, "program": enrollment.program,
                                                     "rw": rw}, status=400 if form.is_bound else 200)


@public_page
@require_http_methods(["GET"])
def beneficiaries(request):
    """The RW chooser; a resident goes straight to its own RW."""
    if is_resident(request.user):
        return redirect("community:beneficiary_rw", number=request.user.household.rt.rw.number)
    rws = RW.objects.order_by("number")
    if rws and not selectors.can_view_listing(request.user, rws[0]):
        raise PermissionDeniedError()
    return render(request, "community/beneficiaries_index.html", {"rws": rws})


@public_page
@require_http_methods(["GET"])
def beneficiary_rw(request, number: int):
    rw = selectors.rw_get(number)
    program_id = request.GET.get("program")
    program_id = int(program_id) if program_id and program_id.isdigit() else None
    blocks = selectors.beneficiary_list(user=request.user, rw=rw, program_id=program_id)
    return render(request, "community/beneficiaries.html", {
        "rw": rw, "blocks": blocks, "programs": selectors.listed_programs(), "program_id": program_id,
        "can_object": is_resident(request.user),
    })


@public_page
@require_http_methods(["GET"])
def proposal_list(request):
    status = request.GET.get("status", "")
    status = status if status in ProposalStatus.values else ""
    page = Paginator(selectors.proposal_list(status=status), 20).get_page(request.GET.get("page"))
    return render(request, "community/proposal_list.html", {
        "page": page, "status": status, "statuses": ProposalStatus.choices,
        "can_propose": is_resident(request.user),
    })


@public_page
@require_http_methods(["GET"])
def proposal_detail(request, pk: int):
    proposal = selectors.proposal_get(pk=pk)
    user = request.user
    return render(request, "community/proposal_detail.html", {
        "proposal": proposal, "supported": selectors.has_supported(user=user, proposal=proposal),
        "can_support": is_resident(user) and proposal.status in ("submitted", "reviewing")
        and proposal.proposer_id != user.pk,
        "is_proposer": user.is_authenticated and proposal.proposer_id == user.pk,
    })


@resident_page
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    person = request.user.resident
    eligible = person is not None and youth_age_ok(person, today())
    form = ProposalForm(request.POST or None, initial={"rw": request.user.household.rt.rw_id})
    if request.method == "POST" and form.is_valid():
        ok, proposal = form_attempt(form, lambda: proposals.proposal_create(
            actor=request.user, data=form.cleaned_data))
        if ok:
            messages.success(request, _t("Usulan Anda terbit. Ajak warga lain mendukungnya."))
            return redirect("community:proposal_detail", pk=proposal.pk)
    return render(request, "community/proposal_form.html", {"form": form, "eligible": eligible},
                  status=400 if form.is_bound else 200)


@resident_page
@require_POST
def proposal_support(request, pk: int):
    proposal = selectors.proposal_get(pk=pk)
    try:
        proposals.proposal_support(actor=request.user, proposal=proposal)
        messages.success(request, _t("Terima kasih, dukungan Anda tercatat."))
    except (NotFoundError, PermissionDeniedError):
        raise
    except DomainError as exc:
        messages.error(request, exc.text)
    if request.htmx:
        proposal.refresh_from_db()
        return render(request, "community/_support.html", {
            "proposal": proposal, "supported": selectors.has_supported(user=request.user, proposal=proposal),
            "can_support": True})
    return redirect("community:proposal_detail", pk=proposal.pk)
