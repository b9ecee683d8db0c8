"""Enrollment pages (work in progress)."""

from __future__ import annotations

from django.http import Http404

from bansos.core.forms import domain_page


@domain_page
def enrollment_list(request, program_id: int):
    raise Http404


@domain_page
def enrollment_apply(request, program_id: int):
    raise Http404


@domain_page
def enrollment_bulk(request, program_id: int):
    raise Http404


@domain_page
def enrollment_bulk_jobs(request, program_id: int):
    raise Http404


@domain_page
def enrollment_detail(request, pk: int):
    raise Http404


@domain_page
def enrollment_transition(request, pk: int):
    raise Http404


@domain_page
def enrollment_nominate(request, household_id: int):
    raise Http404
