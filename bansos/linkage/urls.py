"""URLs of the linkage app (prefix ``pencocokan/``)."""

from django.urls import path  # noqa: F401

app_name = "linkage"

urlpatterns: list = []
