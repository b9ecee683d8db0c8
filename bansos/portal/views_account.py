"""Activation (identity -> code -> password) and the portal's sign-in for residents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from bansos.accounts.models import Role, User
from bansos.core.errors import DomainError
from bansos.core.forms import apply_domain_error
from bansos.core.origin import client_ip
from bansos.portal import throttle
from bansos.portal.conf import limits
from bansos.portal.forms import ActivationForm, CodeForm, LoginForm, PasswordForm
from bansos.portal.services import activation as services
from bansos.portal.services.common import Throttled, require_within

SESSION_KEY = "portal_activation"
MSG_LOGIN_FAILED = _("NIK/nama pengguna atau kata sandi salah.")


@never_cache
@sensitive_post_parameters("nik", "kk_number")
@require_http_methods(["GET", "POST"])
def activate(request):
    form = ActivationForm(request.POST or None)
    code = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                token = services.activation_start(nik=data["nik"], kk_number=data["kk_number"],
                                                  birth_date_value=data["birth_date"], ip=client_ip(request))
                request.session[SESSION_KEY] = token
                return redirect("portal:activate_code")
            except Throttled as exc:
                form.add_error(None, exc.text)
                code = 429
            except DomainError as exc:
                apply_domain_error(form, exc)
                code = 400
        else:
            code = 400
    return render(request, "portal/activate.html", {"form": form}, status=code)


@never_cache
@require_http_methods(["GET", "POST"])
def activate_code(request):
    token = request.session.get(SESSION_KEY)
    if not token:
        return redirect("portal:activate")
    form = CodeForm(request.POST or None)
    code = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.activation_verify(token=token, code=form.cleaned_data["code"], ip=client_ip(request))
                return redirect("portal:activate_password")
            except Throttled as exc:
                form.add_error(None, exc.text)
                code = 429
            except DomainError as exc:
                apply_domain_error(form, exc)
                code = 400
        else:
            code = 400
    return render(request, "portal/activate_code.html", {"form": form}, status=code)


@never_cache
@sensitive_post_parameters("password", "password2")
@require_http_methods(["GET", "POST"])
def activate_password(request):
    token = request.session.get(SESSION_KEY)
    if not token or not services.activation_ready(token):
        messages.error(request, _t("Masukkan dahulu kode aktivasi."))
        return redirect("portal:activate_code" if token else "portal:activate")
    form = PasswordForm(request.POST or None)
    code = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.activation_complete(token=token, password=form.cleaned_data["password"])
            except DomainError as exc:
                apply_domain_error(form, exc)
                code = 400
            else:
                request.session.pop(SESSION_KEY, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _t("Akun Anda aktif. Selamat datang di portal warga."))
                return redirect("portal:beranda")
        else:
            code = 400
    return render(request, "portal/activate_password.html", {"form": form}, status=code)


def _username_for(identifier: str) -> str:
    """The resident account's username for a NIK (or the username itself); a stand-in when none exists.

    The stand-in keeps django-axes counting failures per typed NIK and address, like for a real account.
    """
    text = "".join(identifier.split())
    if len(text) == 16 and text.isdigit():
        account = (User.objects.filter(role=Role.RESIDENT, resident__nik=text, resident__status="active")
                   .order_by("pk").values_list("username", flat=True).first())
        return account or f"nik-{throttle.nik_key(text)[:16]}"
    return identifier.strip()


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Residents sign in with NIK (or user name) and password; staff use the staff sign-in (with two steps)."""
    if request.user.is_authenticated and request.user.role == Role.RESIDENT:
        return redirect("portal:beranda")
    form = LoginForm(request.POST or None)
    code = 200
    if request.method == "POST":
        code = 400
        if form.is_valid():
            try:
                conf = limits()
                require_within("login", ip=client_ip(request), nik=None, per_ip=conf.login_per_ip, per_nik=None)
            except Throttled as exc:
                form.add_error(None, exc.text)
                code = 429
            else:
                username = _username_for(form.cleaned_data["nik"])
                user = authenticate(request, username=username, password=form.cleaned_data["password"])
                if user is not None and user.role == Role.RESIDENT and user.household_id:
                    login(request, user)
                    return redirect("portal:beranda")
                form.add_error(None, MSG_LOGIN_FAILED)
    return render(request, "portal/login.html", {"form": form}, status=code)
