from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "bansos.welfare"
    label = "welfare"
    verbose_name = "Peringkat kesejahteraan"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from bansos.core.audit import register_action_labels
        from bansos.registry.panels import HouseholdPanel, register_household_panel
        from bansos.welfare.selectors import welfare_household

        register_household_panel(HouseholdPanel(
            key="welfare", order=10, template="welfare/_panel.html", context=welfare_household,
        ))
        register_action_labels({
            "welfare.model_create": _("Versi model kesejahteraan dibuat"),
            "welfare.model_update": _("Bobot model kesejahteraan diubah"),
            "welfare.model_publish": _("Model kesejahteraan diberlakukan"),
            "welfare.model_retire": _("Model kesejahteraan tidak berlaku lagi"),
            "welfare.rescore_start": _("Penghitungan ulang skor diminta"),
            "welfare.rescore": _("Skor kesejahteraan dihitung ulang"),
            "welfare.score": _("Skor kesejahteraan keluarga dihitung"),
        })
