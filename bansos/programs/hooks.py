"""What the programs app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from bansos.core.audit import register_action_labels
    from bansos.programs.panels import household_programs, redact_history
    from bansos.registry.panels import HouseholdPanel, register_household_panel, register_history_filter

    register_household_panel(HouseholdPanel(
        key="programs", order=20, template="programs/_household_panel.html", context=household_programs,
    ))
    register_history_filter(redact_history)

    register_action_labels({
        "program.create": _("Program dibuat"),
        "program.update": _("Program diubah"),
        "program.status": _("Status program diubah"),
        "funding.create": _("Sumber dana dicatat"),
        "funding.update": _("Sumber dana diubah"),
        "funding.allocate": _("Dana dialokasikan ke program"),
        "budget.disburse": _("Dana disalurkan"),
        "enrollment.apply": _("Mendaftar program"),
        "enrollment.verify": _("Pendaftaran diverifikasi"),
        "enrollment.approve": _("Kepesertaan disetujui"),
        "enrollment.reject": _("Pendaftaran ditolak"),
        "enrollment.start": _("Kepesertaan dimulai"),
        "enrollment.suspend": _("Kepesertaan ditangguhkan"),
        "enrollment.resume": _("Kepesertaan dilanjutkan"),
        "enrollment.graduate": _("Lulus dari program"),
        "enrollment.exit": _("Keluar dari program"),
        "referral.send": _("Dirujuk ke program lain"),
        "referral.accept": _("Rujukan diterima"),
        "referral.decline": _("Rujukan ditolak"),
        "referral.enroll": _("Didaftarkan dari rujukan"),
        "overlap_policy.create": _("Kebijakan tumpang tindih dibuat"),
        "overlap_policy.update": _("Kebijakan tumpang tindih diubah"),
    })
