"""Registry pages. PLACEHOLDERS until the registry pages land (helper A)."""

from django.http import Http404


def household_list(request):
    raise Http404


def household_create(request):
    raise Http404


def household_detail(request, pk):
    raise Http404


def household_edit(request, pk):
    raise Http404


def household_status(request, pk):
    raise Http404


def household_change_head(request, pk):
    raise Http404


def resident_add(request, pk):
    raise Http404


def resident_edit(request, pk):
    raise Http404


def resident_move(request, pk):
    raise Http404


def resident_status(request, pk):
    raise Http404
