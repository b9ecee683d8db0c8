"""API token pages: list, create (the key is shown once), revoke. Kelurahan admins only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bansos.accounts import tokens
from bansos.accounts.models import ApiToken
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import DomainError, ValidationFailed


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        parts = [obj.get_full_name() or obj.username, obj.get_role_display()]
        if obj.scope_label:
            parts.append(obj.scope_label)
        return f"{obj.username} · " + " · ".join(parts)


class TokenForm(forms.Form):
    # Rules (name required, owner must be active staff) live in tokens.token_create.
    name = forms.CharField(
        label=_("Nama token"), required=False,
        help_text=_("Untuk apa token ini, misalnya “Sinkronisasi aplikasi Dinsos”."),
    )
    user = OwnerField(
        label=_("Pemilik token"), queryset=ApiToken.objects.none(),
        help_text=_("Token bertindak sebagai petugas ini: peran dan wilayah tugasnya sama."),
        error_messages={"required": _("Pilih petugas pemilik token."),
                        "invalid_choice": _("Pilih petugas yang aktif dari daftar.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = tokens.token_owner_choices().select_related("rw", "rt", "agency", "posyandu")


def _require_manage(request) -> None:
    if not has_role_perm(request.user, P.TOKENS_MANAGE):
        raise PermissionDenied


@login_required
def token_list(request):
    _require_manage(request)
    return render(request, "accounts/token_list.html", {"tokens": tokens.token_list()})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_create(request):
    _require_manage(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = tokens.token_create(
                actor=request.user, owner=form.cleaned_data["user"], name=form.cleaned_data["name"]
            )
        except ValidationFailed as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            # Rendered, not redirected: the key exists only in this response and is never stored.
            return render(request, "accounts/token_created.html", {"token": token, "key": key})
    return render(request, "accounts/token_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk: int):
    _require_manage(request)
    token = get_object_or_404(tokens.token_list(), pk=pk)
    if request.method == "POST":
        try:
            tokens.token_revoke(actor=request.user, token=token)
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, _("Token “%(name)s” telah dicabut.") % {"name": token.name})
        return redirect("accounts:token_list")
    return render(request, "accounts/token_revoke.html", {"token": token})
