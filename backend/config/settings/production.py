"""Production: no defaults for secrets; refuses to boot naming what is missing."""

from django.core.exceptions import ImproperlyConfigured

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import (
    DATABASES,
    EMAIL_BACKEND,
    NOTIFICATIONS_DISABLED_CHANNELS,
    SMS_BACKEND,
    VAR_DIR,
)
from config.settings.data import database_config, replica_databases

DEBUG = False
SECRET_KEY = env.required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.csv("DJANGO_ALLOWED_HOSTS") or [env.required("DJANGO_ALLOWED_HOSTS")]
_database_url = env.database_url()
if not _database_url:
    raise env.MissingVariableError("DATABASE_URL")
# Measured (bench/results/connections-*.json): Django's psycopg pool served the DB-bound list
# 2.0x the per-request rate and 1.26x persistent connections, so it is production's default.
DATABASES["default"] = database_config(_database_url, var_dir=VAR_DIR, connections="pool")
DATABASES.update(replica_databases(connections="pool"))

# TLS ends at the load balancer / nginx, which says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.boolean("DJANGO_SECURE_SSL_REDIRECT", True)
# Health checks come from the load balancer over plain HTTP inside the VPC.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_HSTS_SECONDS = env.integer("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.csv("DJANGO_CSRF_TRUSTED_ORIGINS")
# Account e-mails link into the web app (accounts.HEADLESS_FRONTEND_URLS): a link to the
# development default would reach nobody, and one over plain HTTP would carry reset keys in clear.
if not env.required("FRONTEND_URL").startswith("https://"):
    raise ImproperlyConfigured(
        "FRONTEND_URL must be the web app's https:// origin (the account e-mails link there)."
    )

# Production never "sends" to a console: a channel whose backend delivers nowhere must be
# switched off on purpose (its notifications are then recorded as suppressed).
_UNDELIVERED_EMAIL_BACKENDS = {
    f"django.core.mail.backends.{name}.EmailBackend"
    for name in ("console", "locmem", "dummy", "filebased")
}
if EMAIL_BACKEND in _UNDELIVERED_EMAIL_BACKENDS and "email" not in NOTIFICATIONS_DISABLED_CHANNELS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={EMAIL_BACKEND} delivers no e-mail: set a real backend (SMTP, "
        "django_ses.SESBackend) or add email to NOTIFICATIONS_DISABLED_CHANNELS."
    )
if SMS_BACKEND == "console" and "sms" not in NOTIFICATIONS_DISABLED_CHANNELS:
    raise ImproperlyConfigured(
        "SMS_BACKEND=console delivers no SMS: set SMS_BACKEND=twilio (with TWILIO_*) or add sms "
        "to NOTIFICATIONS_DISABLED_CHANNELS."
    )
