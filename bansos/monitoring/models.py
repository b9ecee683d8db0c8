"""Models of the monitoring app."""

from django.db import models  # noqa: F401
