"""Resident-facing pages: the grievance form (no sign-in needed), the status page by tracking code, and a
signed-in resident's own grievances. They extend ``portal/base.html``.

The status page shows only what ``selectors.public_status`` returns: the state, the dates and the public
answers, never internal notes nor who filed it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.models import Role
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError
from bansos.core.forms import form_attempt
from bansos.grievances import selectors, services, throttle
from bansos.grievances.forms import AnswerForm, FileForm, TrackForm

MSG_THROTTLED = _("Terlalu banyak percobaan. Coba lagi nanti.")


def _is_resident(user) -> bool:
    return user.is_authenticated and user.role == Role.RESIDENT


@never_cache
@require_http_methods(["GET", "POST"])
def file(request):
    """File a grievance: anyone, throttled per client; CSRF as every form."""
    resident = _is_resident(request.user)
    form = FileForm(request.POST or None, resident=resident)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and form.cleaned_data.get("website"):
            raise PermissionDenied  # the honeypot was filled: a bot
        # Only complete filings count towards the limit, so a person correcting a typo is not locked out.
        if form.is_valid() and not throttle.hit("file", throttle.client(request)):
            form.add_error(None, str(MSG_THROTTLED))
            status = 429
        elif form.is_valid():
            actor = request.user if resident else None
            ok, grievance = form_attempt(form, lambda: services.grievance_file(actor=actor, data=form.service_data()))
            if ok:
                messages.success(request, _t("Pengaduan Anda diterima. Kode lacak: %(code)s. Simpan kode ini.")
                                 % {"code": services.display_code(grievance.code)})
                if resident:
                    return redirect("grievances:my_detail", pk=grievance.pk)
                return redirect("grievances:track", code=grievance.code)
    return render(request, "grievances/file.html", {"form": form, "resident": resident}, status=status)


@never_cache
@require_http_methods(["GET"])
def track_form(request):
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = services.normalize_code(form.cleaned_data["kode"])
        if code:
            return redirect("grievances:track", code=code)
        form.add_error("kode", _t("Kode lacak tidak dikenal. Periksa kembali 12 huruf dan angkanya."))
    return render(request, "grievances/track_form.html", {"form": form}, status=400 if form.is_bound else 200)


def _lookup(request, code: str):
    if not throttle.hit("track", throttle.client(request)):
        return None, render(request, "grievances/track_form.html", {"form": TrackForm(), "throttled": True},
                            status=429)
    try:
        return selectors.grievance_by_code(code), None
    except NotFoundError:
        return None, render(request, "grievances/track_form.html", {
            "form": TrackForm(initial={"kode": code}), "not_found": True}, status=404)


@never_cache
@require_http_methods(["GET"])
def track(request, code: str):
    grievance, refusal = _lookup(request, code)
    if refusal is not None:
        return refusal
    return render(request, "grievances/track.html", {
        "status": selectors.public_status(grievance), "code": services.display_code(grievance.code),
        "form": AnswerForm(), "by_account": grievance.complainant_user_id is not None,
        "needs_phone": not grievance.anonymous})


def _answer(request, code: str, *, appeal: bool):
    grievance, refusal = _lookup(request, code)
    if refusal is not None:
        return refusal
    form = AnswerForm(request.POST)
    form.is_valid()
    if not throttle.hit("answer", grievance.code):
        messages.error(request, str(MSG_THROTTLED))
        return redirect("grievances:track", code=grievance.code)
    phone = form.cleaned_data.get("phone") or ""
    try:
        if appeal:
            services.grievance_appeal(actor=None, grievance=grievance, phone=phone,
                                      reason=form.cleaned_data.get("reason") or "")
            messages.success(request, _t("Banding Anda diterima."))
        else:
            services.grievance_accept(actor=None, grievance=grievance, phone=phone)
            messages.success(request, _t("Terima kasih. Pengaduan ditutup."))
    except DomainError as exc:
        messages.error(request, exc.text)
    return redirect("grievances:track", code=grievance.code)


@never_cache
@require_POST
def track_accept(request, code: str):
    return _answer(request, code, appeal=False)


@never_cache
@require_POST
def track_appeal(request, code: str):
    return _answer(request, code, appeal=True)


# --- the signed-in resident ----------------------------------------------------------------------------------

def resident_page(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not _is_resident(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFoundError:
            raise Http404 from None
        except PermissionDeniedError:
            raise PermissionDenied from None

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@resident_page
@require_http_methods(["GET"])
def my_list(request):
    return render(request, "grievances/my_list.html", {"grievances": selectors.resident_list(user=request.user)})


@resident_page
@require_http_methods(["GET"])
def my_detail(request, pk: int):
    grievance = selectors.resident_get(user=request.user, pk=pk)
    return render(request, "grievances/my_detail.html", {
        "grievance": grievance, "status": selectors.public_status(grievance),
        "code": services.display_code(grievance.code), "form": AnswerForm()})


def _my_answer(request, pk: int, *, appeal: bool):
    grievance = selectors.resident_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        if appeal:
            services.grievance_appeal(actor=request.user, grievance=grievance,
                                      reason=form.cleaned_data.get("reason") or "")
            messages.success(request, _t("Banding Anda diterima."))
        else:
            services.grievance_accept(actor=request.user, grievance=grievance)
            messages.success(request, _t("Terima kasih. Pengaduan ditutup."))
    except (NotFoundError, PermissionDeniedError):
        raise
    except DomainError as exc:
        messages.error(request, exc.text)
    return redirect("grievances:my_detail", pk=grievance.pk)


@resident_page
@require_POST
def my_accept(request, pk: int):
    return _my_answer(request, pk, appeal=False)


@resident_page
@require_POST
def my_appeal(request, pk: int):
    return _my_answer(request, pk, appeal=True)
