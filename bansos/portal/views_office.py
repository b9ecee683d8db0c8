"""Staff page: issue and print an office activation code for a resident without a phone on record."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bansos.accounts.permissions import P
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.core.formats import mask_nik
from bansos.portal.codes import display_office_code
from bansos.portal.conf import limits
from bansos.portal.forms import OfficeCodeForm
from bansos.portal.services.activation import office_code_issue
from bansos.registry.models import Resident, ResidentStatus

MSG_NO_RESIDENT = _("Tidak ada warga aktif dengan NIK ini.")


@never_cache
@perm_required(P.PORTAL_ACTIVATION)
@domain_page
@require_http_methods(["GET", "POST"])
def office_code(request):
    form = OfficeCodeForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        nik = "".join(form.cleaned_data["nik"].split())
        person = (Resident.objects.filter(nik=nik, status=ResidentStatus.ACTIVE)
                  .select_related("household__rt__rw").first())
        if person is None:
            form.add_error("nik", MSG_NO_RESIDENT)
        else:
            ok, code = form_attempt(form, lambda: office_code_issue(actor=request.user, resident=person))
            if ok:
                issued = {"code": display_office_code(code), "name": person.full_name, "nik": mask_nik(person.nik),
                          "household": person.household, "days": limits().office_code_days}
    return render(request, "portal/office_code.html", {"form": form, "issued": issued},
                  status=400 if form.is_bound and form.errors else 200)
