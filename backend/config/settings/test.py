"""Tests run against the real PostgreSQL, or MySQL when TEST_DATABASE_URL is a mysql:// URL (and
Redis where behaviour depends on it)."""

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import REST_FRAMEWORK, VAR_DIR
from config.settings.data import database_config, silenced_checks

DATABASES = {
    "default": database_config(
        env.string("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/booking"),
        var_dir=VAR_DIR,
    )
}
SILENCED_SYSTEM_CHECKS = silenced_checks(DATABASES["default"])
# Each booking's sends are published as it commits (bursts.py has its own tests).
NOTIFICATION_PUBLISH_DELAY_MS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"auth": "1000/min", "booking": "1000/min"},
}
# Static files are not collected for tests; let whitenoise look them up lazily.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
