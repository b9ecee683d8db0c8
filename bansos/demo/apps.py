from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bansos.demo"
    label = "demo"
    verbose_name = "Data demo"
