"""URLs of the community app (prefix ``partisipasi/``)."""

from django.urls import path  # noqa: F401

app_name = "community"

urlpatterns: list = []
