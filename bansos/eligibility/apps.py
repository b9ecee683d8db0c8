from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "bansos.eligibility"
    label = "eligibility"
    verbose_name = "Aturan kelayakan"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from bansos.core.audit import register_action_labels
        from bansos.registry.panels import HouseholdPanel, register_household_panel

        register_action_labels({
            "eligibility.rule_create": _("Aturan kelayakan dibuat"),
            "eligibility.rule_update": _("Aturan kelayakan diubah"),
            "eligibility.version_create": _("Versi baru aturan kelayakan disimpan"),
            "eligibility.rule_status": _("Status aturan kelayakan diubah"),
            "eligibility.run": _("Aturan kelayakan dijalankan"),
        })
        register_household_panel(HouseholdPanel(
            key="eligibility", order=40, template="eligibility/panel.html", context=household_panel,
        ))


def household_panel(*, user, household):
    """Active rules the household meets, for whoever may see the household."""
    from bansos.accounts.permissions import P, has_perm
    from bansos.eligibility.selectors import household_rules_met

    if not has_perm(user, P.HOUSEHOLD_VIEW, household):
        return None
    return {"rules": household_rules_met(household=household)}
