"""Area and audit pages. PLACEHOLDERS until helper B lands them."""

from django.http import Http404


def area_list(request):
    raise Http404


def kelurahan_edit(request):
    raise Http404


def rw_create(request):
    raise Http404


def rw_edit(request, pk):
    raise Http404


def rt_create(request):
    raise Http404


def rt_edit(request, pk):
    raise Http404


def posyandu_create(request):
    raise Http404


def posyandu_edit(request, pk):
    raise Http404


def audit_list(request):
    raise Http404
