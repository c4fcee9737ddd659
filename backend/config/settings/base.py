"""Settings shared by every topology; the topology modules only change what differs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from config import env
from config.settings import accounts, data, observability
from config.settings.accounts import *  # noqa: F403  (its __all__: plain values)
from config.settings.data import *  # noqa: F403  (its __all__: plain values)
from config.settings.observability import *  # noqa: F403  (its __all__: plain values)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.string("DJANGO_VAR_DIR", str(BASE_DIR.parent / "var")) or "var")

SECRET_KEY = env.string("DJANGO_SECRET_KEY", "insecure-embedded-default-key-not-for-production")
DEBUG = env.boolean("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env.csv("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "booking.core",
    "booking.accounts",
    "booking.addresses",
    "booking.salons",
    "booking.appointments",
    "booking.notifications",
    "booking.demo",
]

MIDDLEWARE: list[str] = [
    "booking.core.middleware.RequestIdMiddleware",
    "booking.core.health_middleware.HealthCheckMiddleware",
    "booking.core.metrics.MetricsMiddleware",
    "booking.core.metrics.RequestMetricsMiddleware",
    "booking.core.logging.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]


DATABASES: dict[str, dict[str, Any]] = {
    "default": data.database_config(env.database_url(), var_dir=VAR_DIR),
    **data.replica_databases(),
}
SILENCED_SYSTEM_CHECKS = data.silenced_checks(DATABASES["default"])

REDIS_URL = env.redis_url("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "booking.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "booking",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "booking.accounts.authentication.JWTAuthentication",
        # The web app signs in through allauth's "browser" client: its session cookie, with CSRF.
        "booking.accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "booking.core.negotiation.RememberingContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "booking.core.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "booking.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "booking.core.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.string("THROTTLE_AUTH", "30/min"),
        "booking": env.string("THROTTLE_BOOKING", "60/min"),
    },
    "UNAUTHENTICATED_USER": None,
    # The throttles' client address (None would read all of X-Forwarded-For, which the client
    # writes: a new bucket for every made-up value).
    "NUM_PROXIES": accounts.TRUSTED_PROXY_COUNT,
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.integer("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.integer("JWT_REFRESH_DAYS", 14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "USER_ID_FIELD": "id",
    "SIGNING_KEY": SECRET_KEY,
    # Tokens issued through allauth stop refreshing once their allauth session has ended.
    "TOKEN_REFRESH_SERIALIZER": "booking.accounts.tokens.SessionBoundRefreshSerializer",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Salon booking API",
    "DESCRIPTION": "Find a salon, see free slots, book, cancel and reschedule; run your salon.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "booking.core.schema_hooks.add_allauth_paths",
        "booking.core.schema_hooks.add_links",
        "booking.core.schema_hooks.name_enum_values",
    ],
}

IDEMPOTENCY_KEY_TTL = timedelta(hours=env.integer("IDEMPOTENCY_KEY_TTL_HOURS", 48))

# --- Background work -----------------------------------------------------------------------
# Without a broker (the embedded default) tasks run in-process, right after the commit.
CELERY_BROKER_URL = env.redis_url("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# Sends get their own queue so a backlog of housekeeping never delays a confirmation.
CELERY_TASK_ROUTES = {
    "notifications.send": {"queue": "notifications"},
    "notifications.send_batch": {"queue": "notifications"},
}
CELERY_TASK_ACKS_LATE = True
# A task whose worker process died is put back on the queue instead of being acknowledged.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.integer("CELERY_TASK_SOFT_TIME_LIMIT", 30)
CELERY_TASK_TIME_LIMIT = env.integer("CELERY_TASK_TIME_LIMIT", 60)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery's Django fixup closes every database connection, and with Django's pool the whole pool,
# before and after every task unless this is set: reconnecting then cost the worker more CPU
# than sending the notification. It now does so once per this many tasks, and each task hands
# its connection back the way a request does (core.celery_signals).
CELERY_DB_REUSE_MAX = 1000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Unacknowledged tasks of a worker that vanished are redelivered after this long.
    "visibility_timeout": env.integer("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
# Publishing from a web request must fail fast when the broker is down: the outbox row is
# already committed and the sweep will enqueue it later.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE = {
    "enqueue-due-notifications": {
        "task": "notifications.enqueue_due",
        "schedule": float(env.integer("NOTIFICATION_SWEEP_SECONDS", 60)),
    },
    "purge-stale-rows": {"task": "housekeeping.purge_stale_rows", "schedule": 6 * 3600.0},
}
# What the purge-stale-rows task (booking.core.tasks) deletes: name -> a function returning the
# number of rows it deleted. Apps list their own here, so core imports none of them.
HOUSEKEEPING_PURGES = {
    "idempotency_records": "booking.core.idempotency.purge_expired_idempotency_records",
    "notifications": "booking.notifications.services.notifications_purge_old",
    "expired_tokens": "booking.core.housekeeping.expired_tokens_purge",
}

# --- Notifications ---------------------------------------------------------------------------
NOTIFICATION_CHANNELS = {
    "email": "booking.notifications.channels.email.EmailChannel",
    "sms": "booking.notifications.channels.sms.SmsChannel",
}
NOTIFICATION_MAX_ATTEMPTS = env.integer("NOTIFICATION_MAX_ATTEMPTS", 6)
NOTIFICATION_RETRY_BASE_SECONDS = env.integer("NOTIFICATION_RETRY_BASE_SECONDS", 30)
NOTIFICATION_RETRY_MAX_SECONDS = env.integer("NOTIFICATION_RETRY_MAX_SECONDS", 1800)
# A claimed send not finished within the lease is considered dead and may be claimed again;
# it must outlive the task's hard time limit.
NOTIFICATION_SEND_LEASE_SECONDS = env.integer(
    "NOTIFICATION_SEND_LEASE_SECONDS", CELERY_TASK_TIME_LIMIT + 30
)
NOTIFICATION_ENQUEUE_GRACE_SECONDS = env.integer("NOTIFICATION_ENQUEUE_GRACE_SECONDS", 60)
# A booking change's sends wait this long for the other changes committed in the same process,
# to go to the broker as one message (notifications/bursts.py); 0 publishes each at once.
NOTIFICATION_PUBLISH_DELAY_MS = env.integer("NOTIFICATION_PUBLISH_DELAY_MS", 200)
# Channels switched off on purpose: their notifications are recorded as `suppressed`, never sent.
NOTIFICATIONS_DISABLED_CHANNELS = env.choices(
    "NOTIFICATIONS_DISABLED_CHANNELS", allowed=NOTIFICATION_CHANNELS.keys()
)

EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "Salon booking <bookings@example.com>")
EMAIL_MESSAGE_ID_DOMAIN = env.string("EMAIL_MESSAGE_ID_DOMAIN", "booking.example.com")
AWS_SES_REGION_NAME = env.string("AWS_SES_REGION_NAME", "us-east-1")

SMS_BACKEND = env.string("SMS_BACKEND", "console")
TWILIO_ACCOUNT_SID = env.string("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env.string("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = env.string("TWILIO_FROM_NUMBER", "")
TWILIO_API_BASE_URL = env.string("TWILIO_API_BASE_URL", "")
TWILIO_TIMEOUT_SECONDS = env.integer("TWILIO_TIMEOUT_SECONDS", 10)

# --- What the topic modules add to the lists above --------------------------------------------
INSTALLED_APPS, MIDDLEWARE = accounts.with_allauth(INSTALLED_APPS, MIDDLEWARE)
MIDDLEWARE = data.middleware_with_caching(MIDDLEWARE)
MIDDLEWARE, STORAGES = data.object_storage(MIDDLEWARE, STORAGES)
REST_FRAMEWORK = observability.rest_framework_with_access_log(REST_FRAMEWORK)
observability.sentry_start(observability.SENTRY_DSN)
