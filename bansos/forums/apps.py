from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "bansos.forums"
    label = "forums"
    verbose_name = _("Forum dan umpan balik")

    def ready(self) -> None:
        from bansos.forums.hooks import register

        register()
