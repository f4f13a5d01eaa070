"""Noichinh settings. Everything that differs between machines comes from the environment.

Safe local defaults: SQLite in the project folder, a secret key generated once into `.secret_key`
(git-ignored), DEBUG off unless NOICHINH_DEBUG=1. See docs/deployment.md for production values.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept out of git."""
    key = os.environ.get("NOICHINH_SECRET_KEY")
    if key:
        return key
    path = Path(os.environ.get("NOICHINH_SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("NOICHINH_DEBUG")
ALLOWED_HOSTS = env_list("NOICHINH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("NOICHINH_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "bootstrap",
    "noichinh.core",
    "noichinh.units",
    "noichinh.accounts",
    "noichinh.documents",
    "noichinh.cases",
    "noichinh.petitions",
    "noichinh.reports",
    "noichinh.campaigns",
    "noichinh.awards",
    "noichinh.work",
    "noichinh.dashboards",
    "noichinh.inbox",
    "noichinh.intake",
    "noichinh.benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "noichinh.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "noichinh.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "noichinh.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "noichinh.accounts.session.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

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
                "noichinh.core.context_processors.frame",
                "noichinh.inbox.context_processors.inbox",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("NOICHINH_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while the single writer writes; busy timeout instead of "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {
        # The full name too (issue 16: "the user's full name is accepted as their password").
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {
            "user_attributes": ["username", "full_name", "email", "first_name", "last_name"]
        },
    },
    {"NAME": "noichinh.accounts.validators.PersonalDataPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English available. Dates 25/5/2021, numbers 8.651 and 115,4.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("NOICHINH_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("NOICHINH_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("NOICHINH_MANIFEST_STATIC")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not env_bool("NOICHINH_MANIFEST_STATIC")

# Security. Production sets NOICHINH_SECURE=1 behind TLS (docs/deployment.md).
SECURE = env_bool("NOICHINH_SECURE")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and not env_bool("NOICHINH_SSL_TERMINATED_UPSTREAM")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = int(os.environ.get("NOICHINH_HSTS_SECONDS", "31536000" if SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("NOICHINH_SESSION_AGE", str(8 * 3600)))
# Signed out after this many seconds without a request (the 8 h above is the absolute limit).
NOICHINH_SESSION_IDLE = int(os.environ.get("NOICHINH_SESSION_IDLE", str(30 * 60)))
# API tokens expire this many hours after they are issued; a password change revokes them.
NOICHINH_TOKEN_HOURS = int(os.environ.get("NOICHINH_TOKEN_HOURS", "12"))
# Roles that must sign in with TOTP whatever the per-role policy page says.
NOICHINH_TWO_FACTOR_ROLES = env_list("NOICHINH_TWO_FACTOR_ROLES", "system_admin")
# Sensitive actions (role changes, unlocking an approved report) ask for the password again
# when it was last entered longer ago than this.
NOICHINH_REAUTH_MINUTES = int(os.environ.get("NOICHINH_REAUTH_MINUTES", "5"))
# The audit chain's HMAC key (docs/security.md). The development default is flagged by
# `check --deploy`; production sets its own and keeps it out of the database's reach.
NOICHINH_AUDIT_KEY = os.environ.get("NOICHINH_AUDIT_KEY", "noichinh-development-audit-key")
# Keys of the petitioners' identities at rest (petitions/crypto.py): Fernet keys,
# comma-separated, the first encrypting and all decrypting (rotation: docs/security.md). Unset:
# a development key derived from SECRET_KEY, flagged by `check --deploy`.
NOICHINH_IDENTITY_KEYS = env_list("NOICHINH_IDENTITY_KEYS")
# Signed checkpoints of the audit chain, appended outside the database (git-ignored var/).
NOICHINH_AUDIT_ANCHOR = Path(
    os.environ.get("NOICHINH_AUDIT_ANCHOR", BASE_DIR / "var" / "audit-anchor.jsonl")
)
NOICHINH_BACKUP_DIR = Path(os.environ.get("NOICHINH_BACKUP_DIR", BASE_DIR / "var" / "backups"))
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Behind nginx, the client address is in X-Forwarded-For: say how many proxies to trust (the
# address the nearest trusted proxy saw is used). 0 = use the socket address (no proxy).
NOICHINH_PROXY_COUNT = int(os.environ.get("NOICHINH_PROXY_COUNT", "0"))

# Login protection: lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("NOICHINH_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NOICHINH_LOCKOUT_MINUTES", "15")))
# Locked by username from any address, and by address whatever the username (issue 16: 80
# guesses from 20 addresses never locked anything with the pair alone).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
NOICHINH_LOCKOUT_IP_FAILURES = int(os.environ.get("NOICHINH_LOCKOUT_IP_FAILURES", "20"))
AXES_HANDLER = "noichinh.accounts.lockout.LockoutHandler"  # one limit per parameter
AXES_LOCKOUT_CALLABLE = "noichinh.accounts.lockout.lockout_response"  # JSON 429 for the API
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "noichinh.core.middleware.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

OTP_TOTP_ISSUER = "Noichinh"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "noichinh.accounts.authentication.PolicyTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "noichinh.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Noichinh API",
    "DESCRIPTION": (
        "REST API of Noichinh. Every object carries `id`; unit-owned objects carry `unit`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set where several fields share a name ("kind", "stage").
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "noichinh.cases.choices.CaseKind",
        "IssueKindEnum": "noichinh.cases.choices.IssueKind",
        "StageEnum": "noichinh.cases.choices.Stage",
        "StallStageEnum": "noichinh.cases.choices.STALL_STAGES",
        "SuspensionReasonEnum": "noichinh.cases.choices.SuspensionReason",
        "PetitionKindEnum": "noichinh.petitions.choices.PetitionKind",
        "BallotKindEnum": "noichinh.awards.choices.BallotKind",
        "ReviewKindEnum": "noichinh.campaigns.choices.ReviewKind",
        "MeetingKindEnum": "noichinh.work.choices.MeetingKind",
        "UnitKindEnum": "noichinh.units.choices.UnitKind",
    },
}

# Background work: django-tasks with its database queue (`manage.py db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Imports and exports (core.exports, core.jobs): limits checked before a file is parsed, and the
# sizes above which the work runs in the background with progress. See docs/security.md.
IO_LIMITS = {
    "upload_bytes": 20 * 1024 * 1024,
    "uncompressed_bytes": 50 * 1024 * 1024,
    "ratio": 100,
    "rows": 100_000,
    "import_background_rows": 2_000,
    "export_background_rows": 5_000,
}

# E-mail (the inbox's digests): the console by default, SMTP when NOICHINH_EMAIL_BACKEND says so.
EMAIL_BACKEND = os.environ.get(
    "NOICHINH_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("NOICHINH_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("NOICHINH_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("NOICHINH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("NOICHINH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("NOICHINH_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("NOICHINH_EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("NOICHINH_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("NOICHINH_DEFAULT_FROM_EMAIL", "noichinh@localhost")
# The address the links in e-mails start with (the site as users reach it).
NOICHINH_SITE_URL = os.environ.get("NOICHINH_SITE_URL", "http://localhost:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NOICHINH_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The password of the demo accounts: demo data only, documented in the README.
NOICHINH_DEMO_PASSWORD = os.environ.get("NOICHINH_DEMO_PASSWORD", "noichinh-demo")
CSRF_FAILURE_VIEW = "noichinh.core.views.csrf_failure"

# WhiteNoise serves from the finders in development; its "no STATIC_ROOT yet" warning is noise then.
import warnings  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
