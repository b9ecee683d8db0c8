from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "bansos.grievances"
    label = "grievances"
    verbose_name = _("Pengaduan")

    def ready(self) -> None:
        from bansos.grievances.hooks import register

        register()
