from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "bansos.health"
    label = "health"
    verbose_name = _("Kesehatan anak: posyandu dan pertumbuhan balita")

    def ready(self) -> None:
        from bansos.health import hooks

        hooks.register()
