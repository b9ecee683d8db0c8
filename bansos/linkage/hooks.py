"""What the linkage app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "linkage.run.start": _("Pencarian data ganda dimulai"),
    "linkage.pair.confirm": _("Pasangan data ganda dikonfirmasi"),
    "linkage.pair.reject": _("Pasangan data ganda ditolak (orang berbeda)"),
    "registry.resident.merge": _("Data warga ganda digabung"),
    "registry.resident.unmerge": _("Penggabungan data warga dibatalkan"),
    "registry.resident.records_moved": _("Catatan warga dipindah ke data yang dipertahankan"),
    "registry.resident.records_restored": _("Catatan warga dikembalikan"),
}


def register() -> None:
    from bansos.core.audit import register_action_labels

    import bansos.linkage.tasks  # noqa: F401 - registers the abandoned-task handler

    register_action_labels(ACTION_LABELS)
