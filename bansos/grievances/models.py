"""Models of the grievances app."""

from django.db import models  # noqa: F401
