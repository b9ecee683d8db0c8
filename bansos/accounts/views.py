"""Account pages. PLACEHOLDERS until the accounts pages land (helper B)."""

from django.http import Http404


def password_change(request):
    raise Http404


def user_list(request):
    raise Http404


def user_create(request):
    raise Http404


def user_edit(request, pk):
    raise Http404


def user_deactivate(request, pk):
    raise Http404


def agency_list(request):
    raise Http404


def agency_create(request):
    raise Http404


def agency_edit(request, pk):
    raise Http404
