"""Django settings, read from the environment (see README, "Configuration")."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from bansos.core.env import ConfigError, envbool, envchoice, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent

BANSOS_ENV = envchoice("BANSOS_ENV", ("development", "production", "test"), "development")
PRODUCTION = BANSOS_ENV == "production"

DATA_DIR = Path(envstr("BANSOS_DATA_DIR", str(Path.cwd() / "bansos-data"))).resolve()


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        if PRODUCTION and len(key) < 40:
            raise ConfigError("SECRET_KEY must be at least 40 characters in production")
        return key
    if PRODUCTION:
        raise ConfigError("SECRET_KEY (or SECRET_KEY_FILE) is required when BANSOS_ENV=production")
    # Development/demo: generate once and keep it beside the data so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Listed so the API docs page serves the Swagger UI files ninja ships, never the CDN copies.
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "bansos.core",
    "bansos.accounts",
    "bansos.registry",
    "bansos.welfare",
    "bansos.eligibility",
    "bansos.surveys",
    "bansos.meetings",
    "bansos.programs",
    "bansos.cash",
    "bansos.training",
    "bansos.jobs",
    "bansos.umkm",
    "bansos.health",
    "bansos.education",
    "bansos.portal",
    "bansos.grievances",
    "bansos.notifications",
    "bansos.community",
    "bansos.forums",
    "bansos.linkage",
    "bansos.monitoring",
    "bansos.selfreliance",
    "bansos.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bansos.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bansos.accounts.twofactor.RequireAdminTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "bansos.core.middleware.ApiNulGuardMiddleware",
    "bansos.core.middleware.RequestOriginMiddleware",
    # Last, so that it sees the final response of a failed sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bansos.urls"
WSGI_APPLICATION = "bansos.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "bansos.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_database_url = envstr("DATABASE_URL")
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=envint("DB_CONN_MAX_AGE", 60, minimum=0))
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL cannot be used: {exc}") from exc
    if _db["ENGINE"] not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ConfigError("DATABASE_URL must be a postgresql:// or sqlite:// URL")
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "bansos.sqlite3")}

if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].update(
        {
            # WAL lets readers go on while the import or the worker writes; NORMAL sync is safe with WAL.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
            # Take the write lock at BEGIN so two writers queue on the busy timeout instead of
            # failing with "database is locked" when a read transaction upgrades to a write.
            "transaction_mode": "IMMEDIATE",
            "timeout": envint("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
        }
    )
    _db["CONN_MAX_AGE"] = 0 if BANSOS_ENV == "test" else 600
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# TOTP two-factor sign-in: kelurahan admins must enrol before anything else (on by default in production).
BANSOS_REQUIRE_2FA_ADMIN = envbool("BANSOS_REQUIRE_2FA_ADMIN", PRODUCTION)

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every script and stylesheet comes from the platform's own static files: no inline code, no CDN, so
# an injected <script> or style attribute does not run. Images may be data: URIs (QR codes, charts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- I18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- Static and uploads ---------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Development serves files straight from the app folders; production serves collected ones.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "files"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
BANSOS_IMPORT_MAX_BYTES = envint("BANSOS_IMPORT_MAX_MB", 200, minimum=1) * 1024 * 1024

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {"bansos": {"level": envstr("LOG_LEVEL", "INFO"), "propagate": True}},
}

# Platform facts that are configuration, not code.
BANSOS_NIK_FULL_ROLES = ("admin", "surveyor")
