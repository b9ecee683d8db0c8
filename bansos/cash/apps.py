from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CashConfig(AppConfig):
    name = "bansos.cash"
    label = "cash"
    verbose_name = _("Bantuan tunai: siklus, pembayaran dan rekonsiliasi")

    def ready(self) -> None:
        from bansos.cash import hooks

        hooks.register()
