"""What the community app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "community.nomination.create": _("Usul warga diajukan"),
    "community.nomination.check": _("Cek lapangan usul dicatat"),
    "community.nomination.decide": _("Usul warga diputuskan"),
    "community.objection.create": _("Sanggah warga diajukan"),
    "community.objection.check": _("Cek lapangan sanggah dicatat"),
    "community.objection.decide": _("Sanggah warga diputuskan"),
    "community.objection.finding": _("Temuan sanggah ditindaklanjuti lembaga"),
    "community.listing.update": _("Pengaturan daftar penerima diubah"),
    "community.proposal.create": _("Usulan pemuda diajukan"),
    "community.proposal.support": _("Usulan pemuda didukung"),
    "community.proposal.answer": _("Usulan pemuda ditanggapi"),
    "community.proposal.approve": _("Usulan pemuda disetujui menjadi draf program"),
    "community.proposal.decline": _("Usulan pemuda tidak disetujui"),
}


def portal_section(*, user, household):
    """The resident's own nominations, objections and proposals, in counts, with links."""
    from bansos.community.models import Nomination, Objection, Proposal

    return {
        "nominations": Nomination.objects.filter(nominated_by=user).count(),
        "objections": Objection.objects.filter(objector=user).count(),
        "proposals": Proposal.objects.filter(proposer=user).count(),
    }


def register() -> None:
    from bansos.core.audit import register_action_labels
    from bansos.portal.sections import PortalSection, register_portal_section

    register_action_labels(ACTION_LABELS)
    register_portal_section(PortalSection(key="community", order=60, template="community/_portal_section.html",
                                          context=portal_section))
