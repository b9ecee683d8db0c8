from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "bansos.registry"
    label = "registry"
    verbose_name = "Registri keluarga"

    def ready(self) -> None:
        # Action labels of the registry's audit events, for every history page.
        from bansos.registry import history  # noqa: F401
