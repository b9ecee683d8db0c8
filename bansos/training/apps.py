from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "bansos.training"
    label = "training"
    verbose_name = _("Pelatihan keterampilan")

    def ready(self) -> None:
        from bansos.training.hooks import register

        register()
