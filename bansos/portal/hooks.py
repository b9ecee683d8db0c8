"""What the portal plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "portal.activation.start": _("Aktivasi portal dimulai (data identitas dikirim)"),
    "portal.activation.code_wrong": _("Aktivasi portal: kode salah"),
    "portal.activation.verify": _("Aktivasi portal: kode benar"),
    "portal.activation.complete": _("Akun portal warga diaktifkan / kata sandi diatur"),
    "portal.office_code.issue": _("Kode aktivasi kantor diterbitkan"),
}


def register() -> None:
    from bansos.core.audit import register_action_labels

    register_action_labels(ACTION_LABELS)
