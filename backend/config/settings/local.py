"""The embedded default: `make run` with nothing configured (SQLite, in-process cache)."""

from config.settings.base import *  # noqa: F403

DEBUG = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
