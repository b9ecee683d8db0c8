"""Data-subject request pages. PLACEHOLDERS until helper A lands them."""

from django.http import Http404


def dsr_list(request):
    raise Http404


def dsr_create(request, pk):
    raise Http404


def dsr_detail(request, pk):
    raise Http404
