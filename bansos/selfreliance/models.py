"""Models of the selfreliance app."""

from django.db import models  # noqa: F401
