"""What the health app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from bansos.core.audit import register_action_labels
    from bansos.health.panels import household_health, household_mothers, redact_history
    from bansos.registry.panels import HouseholdPanel, register_history_filter, register_household_panel

    register_history_filter(redact_history)
    register_household_panel(HouseholdPanel(
        key="health", order=40, template="health/_household_panel.html", context=household_health,
    ))
    register_household_panel(HouseholdPanel(
        key="health_mothers", order=41, template="health/_mother_panel.html", context=household_mothers,
    ))
    register_action_labels({
        "health.session.open": _("Sesi posyandu dibuka"),
        "health.session.export": _("Data pengukuran sesi posyandu diunduh"),
        "health.visit.record": _("Balita ditimbang dan diukur di posyandu"),
        "health.visit.correct": _("Pengukuran balita diperbaiki"),
        "health.alert.raise": _("Peringatan pertumbuhan balita"),
        "health.alert.resolve": _("Peringatan pertumbuhan ditindaklanjuti"),
        "health.pregnancy.open": _("Kehamilan dicatat"),
        "health.pregnancy.edd": _("HPL kehamilan diubah"),
        "health.pregnancy.end": _("Kehamilan berakhir"),
        "health.pregnancy.export": _("Data ibu hamil posyandu diunduh"),
        "health.anc.record": _("Pemeriksaan kehamilan"),
        "health.delivery.record": _("Persalinan dicatat"),
        "health.pnc.record": _("Kunjungan nifas"),
        "health.death.record": _("Kematian ibu/anak dicatat untuk pemantauan"),
        "health.education.create": _("Penyuluhan kesehatan dicatat"),
        "health.education.attend": _("Kehadiran penyuluhan dicatat"),
        "health.education.unattend": _("Kehadiran penyuluhan dihapus"),
        "health.referral.create": _("Rujukan kesehatan dicatat"),
        "health.referral.outcome": _("Hasil rujukan kesehatan dicatat"),
        "resident.pregnant": _("Tanda hamil di registri diubah"),
    })
