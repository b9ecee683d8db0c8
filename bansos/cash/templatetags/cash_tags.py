"""Template tags of the cash pages: the payments section of a cycle page."""

from __future__ import annotations

from django import template
from django.core.paginator import Paginator
from django.urls import reverse

from bansos.cash.forms_payments import FailedActionForm, ResultUploadForm
from bansos.cash.models import InstitutionKind
from bansos.cash.selectors_payments import failed_entitlements, payments_section, without_account_count

register = template.Library()

FAILED_PAGE_SIZE = 25
FAILED_PAGE_PARAM = "gagal"


@register.simple_tag(takes_context=True)
def cycle_payments(context, cycle):
    """Everything ``cash/_cycle_payments.html`` shows, or None for a user who does not manage the cycle.

    A page re-rendered after a refused action passes its bound ``upload_form`` / ``failed_form`` /
    ``batch_error`` in the context, so the message stands next to the form it concerns.
    """
    request = context["request"]
    section = payments_section(user=request.user, cycle=cycle)
    if section is None:
        return None
    failed_page = Paginator(failed_entitlements(cycle), FAILED_PAGE_SIZE).get_page(
        request.GET.get(FAILED_PAGE_PARAM))
    query = request.GET.copy()
    query.pop(FAILED_PAGE_PARAM, None)
    failed_form = context.get("failed_form") or FailedActionForm()
    checked = {str(i) for i in failed_form.data.getlist("ids")} if failed_form.is_bound else set()
    without = 0
    if section.can_send and cycle.institution.kind == InstitutionKind.BANK:
        without = without_account_count(cycle)
    return {
        "section": section,
        "failed_page": failed_page,
        "failed_query": query.urlencode(),
        "failed_param": FAILED_PAGE_PARAM,
        "failed_form": failed_form,
        "checked": checked,
        "upload_form": context.get("upload_form") or ResultUploadForm(),
        "batch_error": context.get("batch_error"),
        "without_account": without,
        "here": reverse("cash:payments", args=[cycle.pk]),
    }

