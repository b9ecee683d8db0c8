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

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the shared-cache in-memory database: concurrent writers then meet WAL and the
    # busy timeout exactly as in production, instead of shared-cache "table is locked" errors.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["BANSOS_DATA_DIR"], "test.sqlite3")}  # noqa: F405
