"""URLs of the cash app, one module per part of the domain (each owns its views)."""

from django.urls import include, path

app_name = "cash"

urlpatterns = [
    path("", include("bansos.cash.urls_cycles")),
    path("", include("bansos.cash.urls_payments")),
]
