from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "bansos.jobs"
    label = "jobs"
    verbose_name = _("Lowongan kerja dan rujukan ke mitra usaha")

    def ready(self) -> None:
        from bansos.jobs import hooks

        hooks.register()
