"""The JSON API root: every app adds its router here."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from bansos.core.api_errors import install_error_handlers

api = NinjaAPI(
    title="Bansos Duri Kepa API",
    version="1",
    description=str(_("API platform bantuan sosial Kelurahan Duri Kepa.")),
    urls_namespace="api",
)
install_error_handlers(api)

from bansos.registry.api import router as registry_router  # noqa: E402

api.add_router("/", registry_router)
