from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "bansos.portal"
    label = "portal"
    verbose_name = _("Portal warga")

    def ready(self) -> None:
        from bansos.portal.hooks import register

        register()
