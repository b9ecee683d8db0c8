from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "bansos.welfare"
    label = "welfare"
