from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "bansos.community"
    label = "community"
    verbose_name = _("Partisipasi warga")

    def ready(self) -> None:
        from bansos.community.hooks import register

        register()
