from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "bansos.education"
    label = "education"
    verbose_name = _("Pendidikan gratis: sekolah, siswa dan syarat kehadiran")

    def ready(self) -> None:
        from bansos.education import hooks

        hooks.register()
