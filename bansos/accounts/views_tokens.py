"""API token pages. PLACEHOLDERS until the API work lands (helper D)."""

from django.http import Http404


def token_list(request):
    raise Http404


def token_create(request):
    raise Http404


def token_revoke(request, pk):
    raise Http404
