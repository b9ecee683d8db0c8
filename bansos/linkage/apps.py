from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "bansos.linkage"
    label = "linkage"
    verbose_name = _("Pencocokan data")

    def ready(self) -> None:
        from bansos.linkage.hooks import register

        register()
