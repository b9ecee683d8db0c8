from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UmkmConfig(AppConfig):
    name = "bansos.umkm"
    label = "umkm"
    verbose_name = _("Pendampingan usaha mikro (UMKM)")

    def ready(self) -> None:
        from bansos.umkm import hooks

        hooks.register()
