from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "bansos.notifications"
    label = "notifications"
    verbose_name = _("Pemberitahuan dan pengumuman")

    def ready(self) -> None:
        from bansos.notifications.hooks import register

        register()
