"""The signed-in resident's pages: the household home and applying to a program."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods

from bansos.accounts.models import Role
from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.core.forms import form_attempt
from bansos.portal import selectors
from bansos.portal.forms import ApplyForm
from bansos.portal.services.applications import application_create


def resident_page(view):
    """Signed-in residents only (others: the portal sign-in, or 403 for staff); refusals become 403/404."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        if user.role != Role.RESIDENT or not user.household_id:
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFoundError:
            raise Http404 from None
        except PermissionDeniedError:
            raise PermissionDenied from None

    return wrapper


@resident_page
@require_http_methods(["GET"])
def beranda(request):
    return render(request, "portal/beranda.html", selectors.home(user=request.user))


@resident_page
@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    program = selectors.program_public_get(pk)
    household = selectors.resident_household(request.user)
    choices = selectors.apply_choices(program=program, household=household)
    form = ApplyForm(request.POST or None, choices=choices)
    taken = selectors.household_taken(program=program, household=household)
    code = 200
    if request.method == "POST":
        code = 400
        if form.is_valid():
            ok, _e = form_attempt(form, lambda: application_create(
                actor=request.user, program=program, resident_id=form.cleaned_data.get("resident")))
            if ok:
                messages.success(request, _t("Pendaftaran Anda ke %(program)s sudah diterima. Petugas %(agency)s "
                                             "akan memeriksanya; statusnya tampil di beranda Anda.") % {
                    "program": program.name, "agency": program.agency.name})
                return redirect("portal:beranda")
    return render(request, "portal/apply.html", {
        "program": program, "form": form, "choices": choices, "taken": taken,
        "person_program": program.participant == "resident",
    }, status=code)
