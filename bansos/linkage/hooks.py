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
    "linkage.list.upload": _("Daftar lembaga diunggah"),
    "linkage.list.map": _("Kolom daftar lembaga dipetakan; pencocokan dimulai"),
    "linkage.list.linked": _("Daftar lembaga dicocokkan dengan registri"),
    "linkage.list.row_decide": _("Baris daftar lembaga ditinjau"),
    "linkage.list.export": _("Hasil pencocokan daftar lembaga diunduh (data pribadi)"),
}


def register() -> None:
    from bansos.core.audit import register_action_labels

    import bansos.linkage.tasks  # noqa: F401 - registers the abandoned-task handler

    from bansos.linkage.panels import household_aliases_panel
    from bansos.registry.panels import HouseholdPanel, register_household_panel

    register_household_panel(HouseholdPanel(key="linkage_aliases", order=90,
                                            template="linkage/_household_panel.html",
                                            context=household_aliases_panel))
    register_action_labels(ACTION_LABELS)
