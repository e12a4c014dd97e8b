"""Settings for the MOC portal, read from the environment in one place.

With no environment at all the portal runs in *embedded* mode: SQLite in the project
folder, Celery tasks executed eagerly in-process, console e-mail, local file storage.
``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to a Redis-backed Celery (and
cache). ``PORTAL_ENV=production`` refuses to start without the values a real
deployment needs, naming the missing variable.

Every secret may also be given as ``NAME_FILE`` (a path whose content is the value),
which is how Docker and systemd hand secrets over.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal import hooks

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """The value of ``name``, or the content of the file named by ``name_FILE``."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def _env_number(name: str, default, parse, what: str):
    value = env(name)
    if value is None or value == "":
        return default
    try:
        return parse(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be {what}, not {value!r}") from exc


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


PORTAL_ENV = env("PORTAL_ENV", "embedded")
if PORTAL_ENV not in {"embedded", "production"}:
    raise ImproperlyConfigured(f"PORTAL_ENV must be 'embedded' or 'production', not {PORTAL_ENV!r}")
PRODUCTION = PORTAL_ENV == "production"


def required(name: str) -> str:
    """A value production cannot run without; embedded mode never calls this."""
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when PORTAL_ENV=production")
    return value


if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [required("ALLOWED_HOSTS")]
    DATABASE_URL = required("DATABASE_URL")
    REDIS_URL = required("REDIS_URL")
else:
    # A fixed key is acceptable only because embedded mode never faces a network.
    SECRET_KEY = env("SECRET_KEY") or "embedded-mode-only-not-a-secret-" + "x" * 32
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    DATABASE_URL = env("DATABASE_URL")
    REDIS_URL = env("REDIS_URL")

DEBUG = env_bool("DEBUG", False)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "portal",
    "portal.records",
    "portal.places",
    "portal.publication",
    "agencies",
    "brokers",
    "exams",
    "notices",
]

MIDDLEWARE = [
    "portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.uploads.UploadSizeMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.security.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before anything that looks a value up: OTP devices, sessions, views, axes.
    "portal.middleware.RefuseNulMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.security.middleware.SessionLifetimeMiddleware",
    # After the session's lifetime is settled: the viewer's side's zone (portal.timezones).
    "portal.middleware.TimeZoneMiddleware",
    "portal.security.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation adds 60-220 ms to the Exists() permission queries whose row
        # counts the planner over-estimates (shared/notes/guardian-at-scale.md).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
# Every Redis client the portal opens (this cache, Celery's broker below) gives up on a
# Redis that does not answer within these seconds. A Redis that accepts connections but
# stays silent (stopped, overloaded, a network black hole) would otherwise hold a request
# for as long as it is silent; a healthy one answers in well under a millisecond. A
# connection from a pool never retries a timeout (redis-py retries only on request).
REDIS_CONNECT_TIMEOUT = env_float("REDIS_CONNECT_TIMEOUT", 0.25)
REDIS_SOCKET_TIMEOUT = env_float("REDIS_SOCKET_TIMEOUT", 0.25)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "public:index"
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None  # the public never holds object permissions

# Sessions end after SESSION_IDLE_TIMEOUT without a request and SESSION_COOKIE_AGE after
# sign-in whatever the activity (portal.security.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Second factor (TOTP, recovery codes): required for every signed-in user in
# production; the embedded demo relaxes it unless PORTAL_REQUIRE_2FA=true.
PORTAL_REQUIRE_2FA = env_bool("PORTAL_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "MOC Portal"
PORTAL_RECOVERY_CODES = 10

# Failed sign-ins (django-axes): a username at one address, or one address whatever the
# usernames, with LOGIN_FAILURE_LIMIT failures is locked for LOGIN_LOCKOUT_MINUTES (0:
# until unlocked). Never a username alone: a stranger elsewhere must not be able to lock
# a contact point out. The user unlocks with the second factor (/accounts/unlock/).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
AXES_COOLOFF_TIME = timedelta(minutes=_LOCKOUT_MINUTES) if _LOCKOUT_MINUTES > 0 else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "portal.security.lockout.client_ip"
AXES_ENABLE_ADMIN = False  # portal.admin registers an audited unlock instead
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit trail already
AXES_VERBOSE = False  # lockouts are in the audit trail, not the console

# API tokens: per user, hashed, expiring (portal.security.tokens).
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

# --- Internationalization -------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ja", _("Japanese")),
    ("en", _("English")),
    ("ru", _("Russian")),
    ("tg", _("Tajik")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Japan's zone: the default, third parties' and the public's (portal.timezones).
TIME_ZONE = "Asia/Tokyo"
# Each side's zone by its ISO country code: an officer reads times on their side's clock.
PORTAL_SIDE_TIME_ZONES = {"JP": "Asia/Tokyo", "TJ": "Asia/Dushanbe"}
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# The largest document an officer may upload (portal.uploads refuses more, by type too).
PORTAL_UPLOAD_MAX_MB = env_int("PORTAL_UPLOAD_MAX_MB", 20)
# Embedded mode serves static files straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
# Attachments and consent letters: a folder no URL reaches (portal.records.storage).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))
# A private file no row names after this long was left by a rolled-back upload.
PRIVATE_ORPHAN_MINUTES = env_int("PRIVATE_ORPHAN_MINUTES", 60)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": {"BACKEND": "portal.records.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "moc-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# --- Celery ---------------------------------------------------------------------------
# Nothing is lost between the database and Celery (DESIGN.md, principle 5): a task is
# acknowledged only after it ran, a task whose worker died is re-queued, a worker holds
# one task at a time, and Redis re-delivers an unacknowledged task only after a
# visibility timeout longer than any task may run.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * 60 * 60,
    # Publishing (the outbox kick after a commit, beat) waits at most this long on a
    # silent Redis. A worker's idle BRPOP is not cut short: kombu sends it with a
    # 1-second server-side timeout and reads the reply only once the socket is readable.
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing happens after commit on the request path; when Redis is down, give up
# quickly (the outbox row waits for the periodic sweep) instead of holding the user.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.2,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 60)
# Publication of every published list (portal.publication; issue 15 for the faults): a
# list's request still pending this long after it was made (its task died with its
# worker) is published by a sweep every PUBLICATION_SWEEP_SECONDS: a change reaches the
# lists within ~a minute of a worker death. Versions without their documents are
# rendered by a sweep on the documents queue every PUBLICATION_DOCUMENTS_SWEEP_SECONDS.
# (The AGENCIES_* names of these variables, from before the lists shared one
# component, are still read.)
PUBLICATION_SWEEP_SECONDS = env_int(
    "PUBLICATION_SWEEP_SECONDS", env_int("AGENCIES_PUBLISH_SWEEP_SECONDS", 30)
)
PUBLICATION_OVERDUE_SECONDS = env_int(
    "PUBLICATION_OVERDUE_SECONDS", env_int("AGENCIES_PUBLISH_OVERDUE_SECONDS", 30)
)
PUBLICATION_DOCUMENTS_SWEEP_SECONDS = env_int(
    "PUBLICATION_DOCUMENTS_SWEEP_SECONDS", env_int("AGENCIES_DOCUMENTS_SWEEP_SECONDS", 60)
)
# Retention of the JSON, CSV, HTML and PDF files of superseded versions: the latest
# PUBLICATION_KEEP_VERSIONS of each list and side and those younger than
# PUBLICATION_KEEP_DAYS keep theirs; an older one is rendered again on demand (same
# bytes, same SHA-256). Files under the publications folder that no version names are
# removed once older than PUBLICATION_ORPHAN_MINUTES (never a render in progress).
PUBLICATION_KEEP_VERSIONS = env_int(
    "PUBLICATION_KEEP_VERSIONS", env_int("AGENCIES_DOCUMENTS_KEEP_VERSIONS", 20)
)
PUBLICATION_KEEP_DAYS = env_int("PUBLICATION_KEEP_DAYS", env_int("AGENCIES_DOCUMENTS_KEEP_DAYS", 30))
PUBLICATION_ORPHAN_MINUTES = env_int("PUBLICATION_ORPHAN_MINUTES", env_int("AGENCIES_ORPHAN_MINUTES", 60))
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "portal.tasks.drain_outbox",
        "schedule": timedelta(seconds=OUTBOX_SWEEP_SECONDS),
    },
    "consent-expiry": {
        "task": "portal.tasks.expire_consents",
        "schedule": timedelta(minutes=5),
    },
    # Each day: send the audit chain head to both contact points, then verify the chain.
    "audit-head": {
        "task": "portal.tasks.publish_audit_head",
        "schedule": crontab(hour=0, minute=5),
    },
    "audit-verify": {
        "task": "portal.tasks.verify_audit",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Apps add their own periodic tasks and routes (the agencies' PDFs on the "documents"
# queue) from AppConfig.ready(): portal.hooks.register_beat / register_task_route.
CELERY_TASK_ROUTES = ["portal.celery.route_registered_tasks"]

# The language of each side's published documents (PDF, HTML file), by country code.
PUBLICATION_LANGUAGES = {"JP": "ja", "TJ": "tg"}

# Broker misconduct reports (4(1), "promptly"): the receiving side's contact point is
# reminded each day a shared report has waited longer than this for acknowledgement.
BROKERS_ACKNOWLEDGE_WITHIN_DAYS = env_int("BROKERS_ACKNOWLEDGE_WITHIN_DAYS", 3)

# Certificate checks (5): how many one user may make in an hour (a batch counts each
# line). A check answers whether a certificate is genuine; many of them would read the
# register by elimination.
EXAMS_CHECKS_PER_HOUR = env_int("EXAMS_CHECKS_PER_HOUR", 200)

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an unauthenticated call is a 401 with WWW-Authenticate.
        "portal.security.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.PortalPermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "portal.api.filters.RestrictedFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    # Lazy: the schema and its viewer speak the request's language (Accept-Language, the
    # language cookie, or /api/schema/?lang=); names of operations and fields do not.
    "TITLE": _("MOC Portal API"),
    "DESCRIPTION": _(
        "Japan–Tajikistan Memorandum of Cooperation on Specified Skilled Workers. "
        "Every list returns only the records the caller's organization may see."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.withheld_fields_are_optional",
    ],
    # The core's enum names and those apps add (portal.hooks.register_enum_name).
    "ENUM_NAME_OVERRIDES": hooks.ENUM_NAME_OVERRIDES,
}

# --- Security -------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: templates, htmx and Swagger UI load static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Swagger UI's icons are data: URIs
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # django-axes reports each sign-in at INFO; the audit trail already records them.
    # WeasyPrint reports each render step at INFO; fontTools each font it subsets at
    # INFO and WARNING. A glyph no font has is reported once per render, as an ERROR,
    # by the code that withholds the PDF (portal.checks.missing_glyphs).
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "ERROR"},
    },
}
