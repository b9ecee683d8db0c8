"""URLs of the forums app (prefix ``forum/``)."""

from django.urls import path  # noqa: F401

app_name = "forums"

urlpatterns: list = []
