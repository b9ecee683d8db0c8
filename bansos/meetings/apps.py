from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "bansos.meetings"
    label = "meetings"
