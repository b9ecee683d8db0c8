"""Models of the linkage app."""

from django.db import models  # noqa: F401
