"""Pages of the two-factor sign-in: the sign-in with its code step, enrolment, and the admin's reset."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from bansos.accounts import twofactor
from bansos.accounts.forms import LoginForm
from bansos.accounts.forms_twofactor import CodeForm, ResetForm
from bansos.accounts.permissions import P, is_staff_role
from bansos.accounts.views import _user_or_404
from bansos.core.errors import DomainError
from bansos.core.forms import apply_domain_error, perm_required


class LoginView(auth_views.LoginView):
    """The password step; an account with a confirmed authenticator goes on to the code step."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.confirmed_device(user) is None:
            return super().form_valid(form)
        twofactor.pending_begin(self.request, user, next_url=self.get_success_url())
        return redirect("accounts:twofactor_verify")


def verify(request):
    """The code step of the sign-in."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_lockout_response

    pending = twofactor.pending_user(request)
    if pending is None:
        messages.info(request, _("Sesi masuk berakhir. Masukkan nama pengguna dan kata sandi lagi."))
        return redirect("accounts:login")
    user, data = pending
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        twofactor.pending_clear(request)
        return get_lockout_response(request, credentials=credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, message = twofactor.sign_in_check(request=request, user=user)
        if device is not None:
            twofactor.pending_clear(request)
            login(request, user, backend=data["backend"])
            otp_login(request, device)
            next_url = data.get("next") or ""
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                next_url = "core:home"
            return redirect(next_url)
        if getattr(request, "axes_locked_out", False):
            twofactor.pending_clear(request)
            return get_lockout_response(request, credentials=credentials)
        form.add_error("code", message)
    return render(request, "accounts/twofactor_verify.html", {"form": form, "pending_user": user})


@login_required
def setup(request):
    """The account's two-factor page: enrol (QR code + first code), verify this session, or turn it off."""
    user = request.user
    if not is_staff_role(user):
        raise PermissionDenied
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    device = twofactor.confirmed_device(user)
    verified = bool(getattr(user, "is_verified", lambda: False)())
    form = CodeForm(request.POST or None)
    action = request.POST.get("action", "")
    context = {"form": form, "device": device, "verified": verified, "required": twofactor.is_required(user),
               "next": next_url}
    if device is None:
        new_device = twofactor.twofactor_setup_start(actor=user)
        if request.method == "POST" and action == "confirm" and form.is_valid():
            try:
                twofactor.twofactor_confirm(actor=user, code=form.cleaned_data["code"], request=request)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Verifikasi dua langkah aktif. Mulai sekarang, setelah kata "
                                            "sandi Anda akan diminta kode dari aplikasi autentikator."))
                return redirect(next_url or "accounts:twofactor_setup")
        context.update(qr_svg=twofactor.qr_svg(new_device), secret=twofactor.secret_text(new_device))
    elif request.method == "POST" and form.is_valid():
        if action == "verify" and not verified:
            checked, message = twofactor.sign_in_check(request=request, user=user)
            if checked is not None:
                otp_login(request, checked)
                return redirect(next_url or "core:home")
            form.add_error("code", message)
        elif action == "disable":
            try:
                twofactor.twofactor_disable(actor=user, code=form.cleaned_data["code"], request=request)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Verifikasi dua langkah dimatikan."))
                return redirect("accounts:twofactor_setup")
    return render(request, "accounts/twofactor_setup.html", context)


@perm_required(P.USERS_MANAGE)
def reset(request, pk: int):
    """An admin removes another user's authenticator (lost phone), with a reason."""
    target = _user_or_404(request, pk)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.twofactor_reset(actor=request.user, user=target, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Verifikasi dua langkah %(username)s diatur ulang; ia masuk dengan "
                                        "kata sandi lalu mendaftarkan aplikasi autentikator lagi.")
                             % {"username": target.username})
            return redirect("accounts:user_edit", pk=target.pk)
    return render(request, "accounts/twofactor_reset.html", {
        "form": form, "target": target, "device": twofactor.confirmed_device(target),
    })
