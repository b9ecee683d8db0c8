"""The JSON API root: every app adds its router here.

Callers authenticate with ``Authorization: Bearer <key>`` (integrations; keys from the token
pages) or with the browser session (CSRF token required for writes). The docs page and the
schema are for users with the ``api.docs`` permission; the Swagger UI files come from the
installed ninja package, never from a CDN.
"""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Swagger

from bansos.accounts.api_auth import docs_access, session_auth, token_auth
from bansos.core.api_errors import install_error_handlers

api = NinjaAPI(
    title="Bansos Duri Kepa API",
    version="1",
    description=str(_("API platform bantuan sosial Kelurahan Duri Kepa.")),
    urls_namespace="api",
    auth=[token_auth, session_auth],
    # The validator badge would send the schema's address to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_decorator=docs_access,
)
install_error_handlers(api)

from bansos.registry.api import router as registry_router  # noqa: E402

api.add_router("/", registry_router)

from bansos.eligibility.api import router as eligibility_router  # noqa: E402

api.add_router("/", eligibility_router)

from bansos.meetings.api import router as meetings_router  # noqa: E402

api.add_router("/", meetings_router)

from bansos.welfare.api import router as welfare_router  # noqa: E402

api.add_router("/", welfare_router)

from bansos.programs.api import router as programs_router  # noqa: E402

api.add_router("/", programs_router)

from bansos.cash.api import router as cash_router  # noqa: E402

api.add_router("/", cash_router)

from bansos.training.api import router as training_router  # noqa: E402

api.add_router("/", training_router)

from bansos.jobs.api import router as jobs_router  # noqa: E402

api.add_router("/", jobs_router)

from bansos.umkm.api import router as umkm_router  # noqa: E402

api.add_router("/", umkm_router)

from bansos.health.api import router as health_router  # noqa: E402

api.add_router("/", health_router)

from bansos.education.api import router as education_router  # noqa: E402

api.add_router("/", education_router)

from bansos.portal.api import router as portal_router  # noqa: E402

api.add_router("/", portal_router)

from bansos.grievances.api import router as grievances_router  # noqa: E402

api.add_router("/", grievances_router)

from bansos.notifications.api import router as notifications_router  # noqa: E402

api.add_router("/", notifications_router)

from bansos.community.api import router as community_router  # noqa: E402

api.add_router("/", community_router)

from bansos.linkage.api import router as linkage_router  # noqa: E402

api.add_router("/", linkage_router)

from bansos.monitoring.api import router as monitoring_router  # noqa: E402

api.add_router("/", monitoring_router)

from bansos.forums.api import router as forums_router  # noqa: E402

api.add_router("/", forums_router)

from bansos.selfreliance.api import router as selfreliance_router  # noqa: E402

api.add_router("/", selfreliance_router)
