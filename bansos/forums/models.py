"""Models of the forums app."""

from django.db import models  # noqa: F401
