"""Health-education and referral pages, phone-first: a posyandu's education sessions and attendance taking,
referrals and free-service visits with their outcomes. Thin: check access, call one service or selector, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods

from bansos.accounts.permissions import P
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.health import selectors_maternal as sel
from bansos.health import services_outreach as services
from bansos.health.access import can_posyandu, require_household, require_posyandu
from bansos.health.forms_maternal import EducationSessionForm, ReferralForm, ReferralOutcomeForm
from bansos.health.models_maternal import EducationSession, Pregnancy, Referral, ReferralOutcome
from bansos.health.views_maternal import _posyandu


@perm_required(P.HEALTH_VIEW)
@domain_page
@require_http_methods(["GET", "POST"])
def education_list(request, pk: int):
    posyandu = _posyandu(pk)
    require_posyandu(request.user, P.HEALTH_VIEW, posyandu)
    form = EducationSessionForm(request.POST or None)
    if request.method == "POST":
        require_posyandu(request.user, P.HEALTH_RECORD, posyandu)
        if form.is_valid():
            ok, session = form_attempt(form, lambda: services.education_session_create(
                actor=request.user, posyandu=posyandu, data=form.cleaned_data))
            if ok:
                messages.success(request, _t("Penyuluhan dicatat."))
                return redirect("health:education_detail", pk=session.pk)
    return render(request, "health/education_list.html", {
        "posyandu": posyandu, "sessions": sel.education_sessions(posyandu), "form": form,
        "can_record": can_posyandu(request.user, P.HEALTH_RECORD, posyandu),
    }, status=400 if form.is_bound else 200)


@perm_required(P.HEALTH_VIEW)
@domain_page
@require_http_methods(["GET", "POST"])
def education_detail(request, pk: int):
    from bansos.registry.models import Resident

    session = get_object_or_404(EducationSession.objects.select_related("posyandu"), pk=pk)
    require_posyandu(request.user, P.HEALTH_VIEW, session.posyandu)
    if request.method == "POST":
        require_posyandu(request.user, P.HEALTH_RECORD, session.posyandu)
        resident = get_object_or_404(Resident, pk=request.POST.get("resident_id") or 0)
        try:
            if request.POST.get("action") == "remove":
                services.education_attendance_remove(actor=request.user, session=session, resident=resident)
                messages.success(request, _t("%(name)s dihapus dari daftar hadir.") % {"name": resident.full_name})
            else:
                services.education_attendance_add(actor=request.user, session=session, resident=resident)
                messages.success(request, _t("%(name)s hadir.") % {"name": resident.full_name})
        except (NotFoundError, PermissionDeniedError):
            raise
        except DomainError as exc:
            messages.error(request, exc.text)
        q = request.POST.get("q", "")
        return redirect(f"{request.path}?q={q}" if q else request.path)
    can_record = can_posyandu(request.user, P.HEALTH_RECORD, session.posyandu)
    q = request.GET.get("q", "").strip()[:60]
    attendees = sel.education_attendees(session)
    taken = {r.pk for r in attendees}
    found = [r for r in sel.residents_of_area(session.posyandu, q) if r.pk not in taken] if q and can_record else []
    return render(request, "health/education_detail.html", {
        "session": session, "attendees": attendees, "q": q, "found": found, "can_record": can_record,
        "suggestions": sel.education_suggestions(session) if can_record and not q else [],
        "open": session.date <= timezone.localdate(),
    })


@perm_required(P.HEALTH_VIEW)
@domain_page
@require_http_methods(["GET"])
def referral_list(request, pk: int):
    posyandu = _posyandu(pk)
    require_posyandu(request.user, P.HEALTH_VIEW, posyandu)
    can_record = can_posyandu(request.user, P.HEALTH_RECORD, posyandu)
    outcome = request.GET.get("hasil", "")
    q = request.GET.get("q", "").strip()[:60]
    return render(request, "health/referral_list.html", {
        "posyandu": posyandu, "referrals": sel.referrals(posyandu, outcome=outcome), "outcome": outcome,
        "counts": sel.referral_counts(posyandu), "outcomes": ReferralOutcome.choices, "q": q,
        "found": sel.residents_of_area(posyandu, q) if can_record and q else [], "can_record": can_record,
        "today": timezone.localdate(),
    })


def _to_referrals(resident):
    posyandu = resident.household.rt.posyandus.order_by("pk").first()
    return redirect("health:referral_list", pk=posyandu.pk) if posyandu else redirect("health:index")


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def referral_new(request, resident_pk: int):
    from bansos.registry.models import Resident

    resident = get_object_or_404(Resident.objects.select_related("household__rt__rw"), pk=resident_pk)
    require_household(request.user, P.HEALTH_RECORD, resident.household)
    pregnancy = Pregnancy.objects.filter(mother=resident, status="ongoing").first()
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "pregnancy_id": pregnancy.pk if pregnancy else None}
        ok, _referral = form_attempt(form, lambda: services.referral_create(actor=request.user, resident=resident,
                                                                            data=data))
        if ok:
            messages.success(request, _t("Rujukan dicatat."))
            if pregnancy is not None:
                return redirect("health:pregnancy_detail", pk=pregnancy.pk)
            return _to_referrals(resident)
    return render(request, "health/maternal_form.html", {
        "form": form, "title": _t("Rujukan / layanan gratis"), "mother": resident, "p": pregnancy,
    }, status=400 if form.is_bound else 200)


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def referral_outcome(request, pk: int):
    referral = get_object_or_404(Referral.objects.select_related("resident__household__rt__rw"), pk=pk)
    require_household(request.user, P.HEALTH_RECORD, referral.resident.household)
    form = ReferralOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _r = form_attempt(form, lambda: services.referral_outcome_set(actor=request.user, referral=referral,
                                                                          data=form.cleaned_data))
        if ok:
            messages.success(request, _t("Hasil rujukan dicatat."))
            return _to_referrals(referral.resident)
    return render(request, "health/maternal_form.html", {
        "form": form, "title": _t("Hasil rujukan"), "mother": referral.resident, "referral": referral,
    }, status=400 if form.is_bound else 200)

