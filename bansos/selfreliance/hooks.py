"""What the selfreliance app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "selfreliance.model_create": _("Versi model indeks kemandirian dibuat"),
    "selfreliance.model_update": _("Model indeks kemandirian diubah"),
    "selfreliance.model_publish": _("Model indeks kemandirian diberlakukan"),
    "selfreliance.model_retire": _("Model indeks kemandirian tidak berlaku lagi"),
    "selfreliance.index_compute": _("Indeks kemandirian dihitung"),
    "selfreliance.graduation_propose": _("Keluarga diusulkan lulus dari bantuan"),
    "selfreliance.graduation_confirm": _("Kelulusan dari bantuan dikonfirmasi"),
    "selfreliance.graduation_decline": _("Usulan kelulusan tidak disetujui"),
}


def register() -> None:
    from bansos.core.audit import register_action_labels
    from bansos.portal.sections import PortalSection, register_portal_section
    from bansos.registry.panels import HouseholdPanel, register_household_panel
    from bansos.selfreliance.panels import household_index, portal_index

    register_household_panel(HouseholdPanel(
        key="selfreliance", order=15, template="selfreliance/_household_panel.html", context=household_index,
    ))
    register_portal_section(PortalSection(
        key="selfreliance", order=50, template="selfreliance/_portal_section.html", context=portal_index,
    ))
    register_action_labels(ACTION_LABELS)

    from bansos.selfreliance.indicators import register as register_indicators

    register_indicators()
