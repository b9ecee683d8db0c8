"""Account pages: users and partner agencies (admin), and the password change (everyone signed in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bansos.accounts import selectors, services
from bansos.accounts.forms import AgencyForm, PasswordChangeForm, UserActiveForm, UserCreateForm, UserEditForm
from bansos.accounts.models import Role
from bansos.accounts.permissions import P
from bansos.core.errors import DomainError, NotFoundError
from bansos.core.forms import apply_domain_error, perm_required


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(actor=request.user, new_password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            # Keep this session signed in; other sessions of the user end with the old hash.
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Kata sandi berhasil diganti."))
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


@perm_required(P.USERS_MANAGE)
def user_list(request):
    filters = selectors.UserFilters(
        role=request.GET.get("role", ""), active=request.GET.get("active", ""), q=request.GET.get("q", "")
    )
    users = selectors.user_list(actor=request.user, filters=filters)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/user_list.html", {
        "page": page, "filters": filters, "roles": Role.choices, "query": query.urlencode(),
    })


@perm_required(P.USERS_MANAGE)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user, username=form.cleaned_data["username"],
                password=form.cleaned_data["password"], **form.scope_kwargs(),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Pengguna %(username)s dibuat.") % {"username": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


def _user_or_404(request, pk: int):
    try:
        return selectors.user_get(actor=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None


@perm_required(P.USERS_MANAGE)
def user_edit(request, pk: int):
    target = _user_or_404(request, pk)
    initial = {
        "first_name": target.first_name, "phone": target.phone, "role": target.role, "agency": target.agency,
        "rw": target.rw, "rt": target.rt, "posyandu": target.posyandu,
        "kk_number": target.household.kk_number if target.household_id else "",
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **form.scope_kwargs())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Data pengguna %(username)s disimpan.") % {"username": target.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {
        "form": form, "creating": False, "target": target, "active_form": UserActiveForm(),
    })


@require_POST
@perm_required(P.USERS_MANAGE)
def user_deactivate(request, pk: int):
    """Deactivate, or with ``active=1`` reactivate, an account (never deleted)."""
    target = _user_or_404(request, pk)
    form = UserActiveForm(request.POST)
    active = request.POST.get("active") == "1"
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.user_set_active(actor=request.user, user=target, active=active, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.text)
        return redirect("accounts:user_edit", pk=target.pk)
    if active:
        messages.success(request, _("Akun %(username)s diaktifkan kembali.") % {"username": target.username})
    else:
        messages.success(request, _("Akun %(username)s dinonaktifkan.") % {"username": target.username})
    return redirect("accounts:user_list")


@perm_required(P.AGENCIES_MANAGE)
def agency_list(request):
    return render(request, "accounts/agency_list.html", {"agencies": selectors.agency_list(actor=request.user)})


@perm_required(P.AGENCIES_MANAGE)
def agency_create(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Lembaga %(name)s ditambahkan.") % {"name": agency.name})
            return redirect("accounts:agency_list")
    return render(request, "accounts/agency_form.html", {"form": form, "creating": True})


@perm_required(P.AGENCIES_MANAGE)
def agency_edit(request, pk: int):
    try:
        agency = selectors.agency_get(actor=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None
    initial = {"name": agency.name, "kind": agency.kind, "contact": agency.contact, "is_active": agency.is_active}
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Lembaga %(name)s disimpan.") % {"name": form.cleaned_data["name"]})
            return redirect("accounts:agency_list")
    return render(request, "accounts/agency_form.html", {"form": form, "creating": False, "agency": agency})
