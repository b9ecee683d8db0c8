"""Writes that fulfil data-subject requests (UU PDP), next to ``services.dsr_create`` / ``dsr_set_status``."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError
from bansos.registry.models import DataSubjectRequest, DsrKind, DsrStatus

MSG_NOT_ACCESS = _("Salinan data hanya dibuat untuk permintaan akses.")
MSG_CLOSED = _("Permintaan ini sudah ditutup.")


def dsr_export_access(*, actor, request: DataSubjectRequest) -> DataSubjectRequest:
    """Record that the household's personal data was handed out for an access request."""
    require(actor, P.DSR_MANAGE, request.household)
    if request.kind != DsrKind.ACCESS:
        raise DomainError("dsr_not_access", MSG_NOT_ACCESS)
    if request.status == DsrStatus.REFUSED:
        raise DomainError("dsr_closed", MSG_CLOSED)
    with transaction.atomic():
        # Personal data leaving the platform is an export like any other: one event per copy made.
        audit_log(actor=actor, action="registry.export_access", obj=request.household,
                  household_id=request.household_id,
                  changes={"request": [None, request.pk]},
                  reason=str(_("Salinan data untuk permintaan akses #%(pk)s")) % {"pk": request.pk})
    return request
