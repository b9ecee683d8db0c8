"""Models of the portal app."""

from django.db import models  # noqa: F401
