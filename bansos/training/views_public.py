"""Certificates: issue, revoke, the printable page; and the public verification page (no sign-in)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _t
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from bansos.core.errors import DomainError
from bansos.core.forms import domain_page, form_attempt
from bansos.training import selectors
from bansos.training.access import require_manage_course
from bansos.training.certificates import display, normalize
from bansos.training.forms import ReasonForm, VerifyForm
from bansos.training.services import certificates as services


@domain_page
@require_POST
def certificates_issue(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    try:
        made = services.certificate_issue_course(actor=request.user, course=course)
        messages.success(request, _t("%(n)s sertifikat baru diterbitkan.") % {"n": made})
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.text)
    return redirect("training:course_detail", pk=course.pk)


@domain_page
@require_POST
def certificate_issue(request, pk: int):
    participant = selectors.participant_get(user=request.user, pk=pk)
    try:
        certificate = services.certificate_issue(actor=request.user, participant=participant)
        return redirect("training:certificate_print", pk=certificate.pk)
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.text)
    return redirect("training:course_detail", pk=participant.course_id)


@domain_page
@require_http_methods(["GET", "POST"])
def certificate_revoke(request, pk: int):
    certificate = selectors.certificate_get(user=request.user, pk=pk)
    course = certificate.participant.course
    require_manage_course(request.user, course)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _c = form_attempt(form, lambda: services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _t("Sertifikat dicabut."))
            return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/reason_form.html", {
        "form": form, "course": course,
        "title": _t("Cabut sertifikat %(code)s") % {"code": display(certificate.code)},
        "button": _t("Cabut sertifikat"), "back": "training:course_detail", "back_id": course.pk,
    }, status=400 if form.is_bound else 200)


@domain_page
@require_http_methods(["GET"])
def certificate_print(request, pk: int):
    """A4 landscape, print CSS; the QR code points at the absolute verification URL (inline SVG)."""
    certificate = selectors.certificate_get(user=request.user, pk=pk)
    participant = certificate.participant
    verify_url = request.build_absolute_uri(reverse("training:verify", args=[certificate.code]))
    qr = segno.make(verify_url, error="m")
    svg = qr.svg_inline(scale=4, border=2, dark="#111", omitsize=False)
    return render(request, "training/certificate_print.html", {
        "certificate": certificate, "participant": participant, "course": participant.course,
        "code": display(certificate.code), "verify_url": verify_url, "qr_svg": mark_safe(svg),  # noqa: S308 - segno's own SVG
    })


@never_cache
@require_http_methods(["GET"])
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = normalize(form.cleaned_data["kode"])
        if code:
            return redirect("training:verify", code=code)
    return render(request, "training/verify.html", {"form": form, "result": None})


@never_cache
@require_http_methods(["GET"])
def verify(request, code: str):
    result = selectors.certificate_verify(code)
    shown = {"status": result["status"], "code": display(result["code"]) if result["status"] != "invalid" else ""}
    if result["status"] != "invalid":
        shown.update(initials=result["initials"], course=result["course"], completed_on=result["completed_on"],
                     revoked_on=result["revoked_on"])
    return render(request, "training/verify.html", {"form": VerifyForm(initial={"kode": display(normalize(code))}),
                                                    "result": shown},
                  status=200 if result["status"] != "invalid" else 404)

