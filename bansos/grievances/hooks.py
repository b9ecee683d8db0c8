"""What the grievances app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "grievances.grievance.file": _("Pengaduan diterima"),
    "grievances.grievance.respond": _("Pengaduan ditanggapi"),
    "grievances.grievance.assign": _("Pengaduan ditugaskan"),
    "grievances.grievance.note": _("Catatan internal pengaduan"),
    "grievances.grievance.reclassify": _("Jenis penanganan pengaduan diubah"),
    "grievances.grievance.resolve": _("Pengaduan diselesaikan"),
    "grievances.grievance.reject": _("Pengaduan ditolak atau ditandai duplikat"),
    "grievances.grievance.accept": _("Pelapor menerima penyelesaian pengaduan"),
    "grievances.grievance.appeal": _("Pelapor mengajukan banding pengaduan"),
    "grievances.grievance.escalate": _("Pengaduan dieskalasi ke admin kelurahan"),
    "grievances.grievance.autoclose": _("Pengaduan ditutup otomatis"),
}


def portal_section(*, user, household):
    """The resident's latest grievances on the portal home (its own filings only)."""
    from bansos.grievances.selectors import resident_list

    items = list(resident_list(user=user)[:3])
    return {"items": items, "open": sum(1 for g in items if g.is_open)}


def register() -> None:
    from bansos.core.audit import register_action_labels
    from bansos.portal.sections import PortalSection, register_portal_section

    register_action_labels(ACTION_LABELS)
    register_portal_section(PortalSection(key="grievances", order=40, template="grievances/_portal_section.html",
                                          context=portal_section))
