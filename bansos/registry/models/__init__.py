from bansos.registry.models.choices import *  # noqa: F401,F403
from bansos.registry.models.choices import HOUSEHOLD_TRANSITIONS  # noqa: F401
from bansos.registry.models.household import GROUP_LABELS, Household, Resident  # noqa: F401
from bansos.registry.models.merge import ResidentMerge  # noqa: F401
from bansos.registry.models.requests import (  # noqa: F401
    DSR_TRANSITIONS, DataSubjectRequest, DsrKind, DsrStatus, ImportJob, ImportStatus,
)
