from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.registry.selectors import registry_counts


@login_required
def home(request):
    """The landing page of each role: what this person can do from here."""
    user = request.user
    context = {"role": user.role}
    if has_role_perm(user, P.HOUSEHOLD_VIEW) and user.role != Role.RESIDENT:
        context["counts"] = registry_counts(user=user)
    return render(request, "core/home.html", context)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


def error_404(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


def error_500(request):
    return render(request, "core/error.html", {"status": 500}, status=500)
