from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "bansos.programs"
    label = "programs"
    verbose_name = _("Program, anggaran dan kepesertaan")

    def ready(self) -> None:
        from bansos.programs import hooks

        hooks.register()
