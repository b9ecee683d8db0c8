"""URLs of the programs app, one module per part of the domain (each owns its views)."""

from django.urls import include, path

app_name = "programs"

urlpatterns = [
    path("", include("bansos.programs.urls_catalog")),
    path("", include("bansos.programs.urls_enrollment")),
    path("rujukan/", include("bansos.programs.urls_referrals")),
    path("koordinasi/", include("bansos.programs.urls_coordination")),
]
