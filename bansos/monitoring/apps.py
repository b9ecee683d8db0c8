from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "bansos.monitoring"
    label = "monitoring"
    verbose_name = _("Pemantauan dan evaluasi")

    def ready(self) -> None:
        from bansos.monitoring.hooks import register

        register(self)
