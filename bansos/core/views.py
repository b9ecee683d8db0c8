from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from bansos.accounts.models import Role
from bansos.core.errors import NotFoundError
from bansos.core.selectors import home_breakdown, posyandu_get
from bansos.registry.selectors import household_get


def home(request):
    """The landing page of each role: what this person can do from here; visitors land on the resident portal."""
    user = request.user
    if not user.is_authenticated:
        return redirect("portal:home")
    if user.role == Role.RESIDENT:
        return redirect("portal:beranda")  # a resident's home is the portal's household page
    context = {"role": user.role, "breakdown": home_breakdown(user=user)}
    if user.role == Role.CADRE and user.posyandu_id:
        context["posyandu"] = posyandu_get(user.posyandu_id)
    elif user.role == Role.OFFICER and user.agency_id:
        context["agency"] = user.agency
    elif user.role == Role.RESIDENT and user.household_id:
        try:
            context["household"] = household_get(user=user, pk=user.household_id)
        except NotFoundError:
            context["household"] = None
    return render(request, "core/home.html", context)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):  # an API client gets the API's error body, never an HTML page
        from bansos.core.errors import MSG_NOT_FOUND

        return JsonResponse({"code": "not_found", "message": str(MSG_NOT_FOUND), "errors": {}}, status=404)
    return render(request, "core/error.html", {"status": 404}, status=404)


def error_500(request):
    return render(request, "core/error.html", {"status": 500}, status=500)
