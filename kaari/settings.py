"""Django settings for Kaari. Every value comes from the environment through kaari.config."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from kaari import config

try:
    KAARI_ENV = config.environment()
    DATA_DIR = config.data_dir()
    DEBUG = config.env_flag("KAARI_DEBUG", default=KAARI_ENV == "development")
    SECRET_KEY = config.secret_key(DATA_DIR)
    _db = config.database(DATA_DIR)
    KAARI_RECENT_RELATIONSHIP_DAYS = config.env_int("KAARI_RECENT_RELATIONSHIP_DAYS", 90)
    # A region's laboratory knowledge (intervals, prices, local HL7 codes) over the shipped files.
    KAARI_LAB_REGIONAL_FILE = os.environ.get("KAARI_LAB_REGIONAL_FILE", "")
except config.ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

if KAARI_ENV == "production":
    if DEBUG:
        raise ImproperlyConfigured("KAARI_DEBUG is on: production settings refuse to start with DEBUG")
    if SECRET_KEY.strip().lower() in config.KNOWN_DEFAULT_SECRETS or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("KAARI_SECRET_KEY is a known default: production settings refuse it")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("KAARI_SECRET_KEY is shorter than 32 characters")

ALLOWED_HOSTS = config.allowed_hosts()
if KAARI_ENV == "test":
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "kaari.server",
    "kaari.fhir",
    "kaari.cds",
    "kaari.labs",
    "kaari.safety",
    "kaari.synth",
    "kaari.access",
    "kaari.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The FHIR API uses bearer tokens, not sessions or CSRF cookies; kaari.wsgi gives it this shorter stack.
KAARI_API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "kaari.urls"
# What the lean API handler (kaari.wsgi) resolves against: the API's own patterns only.
KAARI_API_URLCONF = "kaari.api_urls"
WSGI_APPLICATION = "kaari.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaari.workspace.context.professional",
            ],
        },
    },
]

if _db.is_postgres:
    # JIT compilation off: Kaari's queries are short, and the planner's estimates for the access gate's filter
    # make PostgreSQL spend ~60 ms compiling a query that runs in 10 ms. `?options=...` in DATABASE_URL overrides.
    _options: dict[str, object] = {"connect_timeout": 5, "options": "-c jit=off"}
    _options.update(_db.options or {})
    DATABASES = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "USER": _db.user,
            "PASSWORD": _db.password,
            "HOST": _db.host,
            "PORT": _db.port,
            "CONN_MAX_AGE": None,
            # A health check costs a round trip per request; a dead connection fails one request and is replaced.
            "CONN_HEALTH_CHECKS": False,
            "OPTIONS": _options,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                # WAL lets readers work beside the single writer; IMMEDIATE avoids lock-upgrade deadlocks.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;"
                    " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
    if KAARI_ENV == "test":
        DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Users, roles, sign-in and tokens: kaari.access (docs/access.md lists its KAARI_* settings).
AUTH_USER_MODEL = "access.User"
LOGIN_URL = "/signin"
LOGIN_REDIRECT_URL = "/"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
if KAARI_ENV == "test":
    # Fast hashing only in tests; production uses argon2 alone.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The few static files are served by WhiteNoise straight from the apps; no collectstatic step.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = config.env_flag("KAARI_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# FHIR bodies up to 10 MB; the REST layer answers 413 above that, before reading the body.
KAARI_MAX_BODY_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = KAARI_MAX_BODY_BYTES
KAARI_BASE_URL = config.base_url()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"kaari": {"level": "INFO"}, "django.request": {"level": "ERROR"}},
}
