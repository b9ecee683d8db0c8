"""What the notifications app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "notifications.announcement.create": _("Pengumuman ditulis"),
    "notifications.announcement.update": _("Pengumuman diubah"),
    "notifications.announcement.publish": _("Pengumuman diterbitkan ke keluarga sasaran"),
    "notifications.message.retry": _("Pesan dikirim ulang dari outbox"),
}


def register() -> None:
    from bansos.core.audit import register_action_labels
    from bansos.notifications.selectors import portal_inbox_section
    from bansos.portal.sections import PortalSection, register_portal_section

    register_portal_section(PortalSection(
        key="inbox", order=10, template="notifications/_portal_section.html", context=portal_inbox_section,
    ))
    register_action_labels(ACTION_LABELS)
