"""Import/export pages. PLACEHOLDERS until the import work lands (helper C)."""

from django.http import Http404


def export_households(request):
    raise Http404


def import_list(request):
    raise Http404


def import_create(request):
    raise Http404


def import_template(request, fmt):
    raise Http404


def import_detail(request, pk):
    raise Http404


def import_progress(request, pk):
    raise Http404


def import_report(request, pk):
    raise Http404
