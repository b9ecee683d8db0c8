"""Fast settings for the test suite: cheap hashing, tasks run at once, a throwaway data dir."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault("BANSOS_DATA_DIR", tempfile.mkdtemp(prefix="bansos-test-"))
os.environ["BANSOS_ENV"] = "test"

from bansos.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True
ALLOWED_HOSTS = ["*"]
