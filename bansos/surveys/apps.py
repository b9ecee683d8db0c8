from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "bansos.surveys"
    label = "surveys"
