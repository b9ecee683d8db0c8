"""Forms of the area pages, and two small helpers every admin page uses.

``perm_required`` gates a page on a role permission (403 otherwise); ``apply_domain_error`` puts a
service's refusal next to the field it concerns, so bad input shows a clear message and changes
nothing.
"""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import has_role_perm
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError, ValidationFailed
from bansos.core.models import RT, RW


def domain_page(view):
    """Sign-in required; the services' NotFound and PermissionDenied become the 404 and 403 pages."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFoundError:
            raise Http404 from None
        except PermissionDeniedError:
            raise PermissionDenied from None

    return wrapper


def perm_required(perm: str):
    """Sign-in required, then 403 unless the user's role carries ``perm``."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_role_perm(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def apply_domain_error(form: forms.Form, exc: DomainError, *, member_forms=None, aliases=None) -> None:
    """Put a service's errors next to the fields they are about; the rest at the top of the form.

    ``member_forms`` are row forms in the order their data was passed to the service, so an error
    keyed ``members.<i>.<field>`` finds its row; ``aliases`` renames service fields to form fields.
    """
    aliases = aliases or {}
    if isinstance(exc, ValidationFailed):
        for key, messages in exc.errors.items():
            target, field = form, aliases.get(key, key)
            if member_forms is not None and key.startswith("members."):
                _prefix, index, field = key.split(".", 2)
                target = member_forms[int(index)]
            if field not in target.fields:
                field = None
            for message in messages:
                target.add_error(field, message)
        return
    field = aliases.get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.text)


def form_attempt(form: forms.Form, call, *, member_forms=None, aliases=None) -> tuple[bool, Any]:
    """Run a service call for a form: ``(True, result)``, or ``(False, None)`` with its errors on the form.

    Not-found and permission refusals are not form errors: they propagate to become 404/403.
    """
    try:
        return True, call()
    except (NotFoundError, PermissionDeniedError):
        raise
    except DomainError as exc:
        apply_domain_error(form, exc, member_forms=member_forms, aliases=aliases)
        return False, None


class KelurahanForm(forms.Form):
    code = forms.CharField(label=_("Kode Kemendagri"), max_length=13,
                           help_text=_("Format 31.73.05.1005 (provinsi.kota.kecamatan.kelurahan)."))
    name = forms.CharField(label=_("Nama kelurahan"), max_length=100)
    kecamatan = forms.CharField(label=_("Kecamatan"), max_length=100)
    city = forms.CharField(label=_("Kota/kabupaten"), max_length=100)
    province = forms.CharField(label=_("Provinsi"), max_length=100)


class RWForm(forms.Form):
    number = forms.IntegerField(label=_("Nomor RW"), min_value=1, max_value=999)
    name = forms.CharField(label=_("Nama/keterangan"), max_length=100, required=False)


class RTCreateForm(forms.Form):
    rw = forms.ModelChoiceField(label="RW", queryset=RW.objects.order_by("number"),
                                empty_label=_("Pilih RW"))
    number = forms.IntegerField(label=_("Nomor RT"), min_value=1, max_value=999)


class RTEditForm(forms.Form):
    number = forms.IntegerField(label=_("Nomor RT"), min_value=1, max_value=999)


class _RTChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class PosyanduForm(forms.Form):
    name = forms.CharField(label=_("Nama posyandu"), max_length=100)
    rw = forms.ModelChoiceField(label="RW", queryset=RW.objects.order_by("number"),
                                empty_label=_("Pilih RW"))
    rts = _RTChoice(label=_("RT yang dilayani"), required=False, widget=forms.CheckboxSelectMultiple,
                    queryset=RT.objects.select_related("rw").order_by("rw__number", "number"))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Tindakan"), required=False)
    actor = forms.CharField(label=_("Nama pengguna pelaku"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Jenis data"), required=False)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actions=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Semua"))]
        self.fields["action"].choices = everything + [(a, a) for a in actions]
        self.fields["object_type"].choices = everything + [(t, t) for t in object_types]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Tanggal akhir harus sama dengan atau sesudah tanggal awal."))
        return data
