"""URLs of the selfreliance app (prefix ``kemandirian/``)."""

from django.urls import path  # noqa: F401

app_name = "selfreliance"

urlpatterns: list = []
