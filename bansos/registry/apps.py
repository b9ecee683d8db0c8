from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "bansos.registry"
    label = "registry"
    verbose_name = "Registri keluarga"
