from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "bansos.eligibility"
    label = "eligibility"
