from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfrelianceConfig(AppConfig):
    name = "bansos.selfreliance"
    label = "selfreliance"
    verbose_name = _("Kemandirian keluarga")

    def ready(self) -> None:
        from bansos.selfreliance.hooks import register

        register()
