"""What the forums app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "forums.thread.create": _("Utas forum dibuat"),
    "forums.reply.create": _("Balasan forum ditulis"),
    "forums.thread.hide": _("Utas forum disembunyikan moderator"),
    "forums.thread.restore": _("Utas forum ditampilkan lagi"),
    "forums.thread.lock": _("Utas forum dikunci"),
    "forums.thread.unlock": _("Kunci utas forum dibuka"),
    "forums.reply.hide": _("Balasan forum disembunyikan moderator"),
    "forums.reply.restore": _("Balasan forum ditampilkan lagi"),
    "forums.report.create": _("Tulisan forum dilaporkan"),
    "forums.report.review": _("Laporan forum ditinjau"),
    "forums.program_feedback.record": _("Penilaian program oleh warga dicatat"),
}


def portal_section(*, user, household):
    """Recent threads of the resident's forums and the sessions awaiting his rating."""
    from bansos.forums import selectors

    return {"threads": selectors.recent_threads_for_resident(user),
            "sessions": selectors.sessions_to_rate(user, limit=3)}


def register() -> None:
    from bansos.core.audit import register_action_labels
    from bansos.portal.sections import PortalSection, register_portal_section

    register_action_labels(ACTION_LABELS)
    register_portal_section(PortalSection(key="forums", order=60, template="forums/_portal_section.html",
                                          context=portal_section))
