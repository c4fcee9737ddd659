"""Account flows (django-allauth's headless API) beside simplejwt.

Nothing here imports base.py; base star-imports the constants (`__all__`) and applies
`with_allauth` to its app and middleware lists.
"""

from __future__ import annotations

from config import env

__all__ = [
    "ACCOUNT_ADAPTER",
    "ACCOUNT_CHANGE_EMAIL",
    "ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS",
    "ACCOUNT_EMAIL_NOTIFICATIONS",
    "ACCOUNT_EMAIL_VERIFICATION",
    "ACCOUNT_LOGIN_METHODS",
    "ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION",
    "ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED",
    "ACCOUNT_PASSWORD_RESET_TIMEOUT_SECONDS",
    "ACCOUNT_PREVENT_ENUMERATION",
    "ACCOUNT_RATE_LIMITS",
    "ACCOUNT_SIGNUP_FIELDS",
    "ACCOUNT_SIGNUP_FORM_CLASS",
    "ACCOUNT_UNIQUE_EMAIL",
    "ACCOUNT_USER_MODEL_USERNAME_FIELD",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
    "AUTHENTICATION_BACKENDS",
    "FRONTEND_URL",
    "HEADLESS_CLIENTS",
    "HEADLESS_FRONTEND_URLS",
    "HEADLESS_ONLY",
    "HEADLESS_SERVE_SPECIFICATION",
    "HEADLESS_TOKEN_STRATEGY",
    "PASSWORD_RESET_TIMEOUT",
    "SESSION_ENGINE",
    "TRUSTED_PROXY_COUNT",
]

# Where the web app lives: the links in account e-mails point at its pages, which call the API.
FRONTEND_URL = (env.string("FRONTEND_URL", "http://127.0.0.1:5173") or "").rstrip("/")

# Proxies in front of the app that append the client's address to X-Forwarded-For (nginx, an
# ALB): the client is the entry that many from the end. Per-address limits (allauth's and DRF's
# throttles) count that address; with 0 they count REMOTE_ADDR — behind a proxy, the proxy's
# own, one bucket for everyone — and never read a header a client can write.
TRUSTED_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin, /api/v1/auth/token
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Our user logs in with its e-mail and has no username.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_SIGNUP_FORM_CLASS = "booking.accounts.forms.SignupForm"
ACCOUNT_UNIQUE_EMAIL = True
# "mandatory": signing up never signs in, so a new and a known address get the same answer
# (see README, "Accounts"); following the link signs in. Reminders go to verified addresses.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env.integer("ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS", 3)
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False  # a link, not a code
PASSWORD_RESET_TIMEOUT = env.integer("PASSWORD_RESET_TIMEOUT_SECONDS", 3600)
ACCOUNT_PASSWORD_RESET_TIMEOUT_SECONDS = PASSWORD_RESET_TIMEOUT
# Changing the address sends a link to the new one; the old stays primary until it is followed.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # "your password was changed" and the like
# Register, reset and login answer alike for known and unknown addresses.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "booking.accounts.adapter.AccountAdapter"
# allauth's limits, plus the ones it leaves open; every account endpoint is limited
# (booking.accounts.throttle covers the rest of the headless API per client address).
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "confirm_email": "1/180s/key",
    "headless": env.string("THROTTLE_ACCOUNT", "60/m/ip"),
}

# The browser client's session is read on every request, most of them reads that go to a
# replica; a session saved by signing in a moment ago may not be there yet (the next request
# would look signed out). Read it from the shared cache first; the database keeps it too.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

HEADLESS_ONLY = True
# "browser": the session cookie (HttpOnly) + CSRF; "app": a session token, and simplejwt tokens.
HEADLESS_CLIENTS = ("browser", "app")
HEADLESS_TOKEN_STRATEGY = "booking.accounts.tokens.SimpleJWTTokenStrategy"
HEADLESS_SERVE_SPECIFICATION = True  # and merged into /api/schema/ (booking.core.schema)
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": f"{FRONTEND_URL}/account/verify-email/{{key}}",
    "account_reset_password": f"{FRONTEND_URL}/account/password/reset",
    "account_reset_password_from_key": f"{FRONTEND_URL}/account/password/reset/key/{{key}}",
    "account_signup": f"{FRONTEND_URL}/account/signup",
}


def with_allauth(apps: list[str], middleware: list[str]) -> tuple[list[str], list[str]]:
    """allauth's apps, and its middleware right after Django's authentication middleware."""
    apps = [*apps, "allauth", "allauth.account", "allauth.headless"]
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    middleware = [
        *middleware[: auth + 1],
        "allauth.account.middleware.AccountMiddleware",
        "booking.accounts.throttle.AccountThrottleMiddleware",
        "booking.accounts.headless_edge.HeadlessEdgeMiddleware",
        *middleware[auth + 1 :],
    ]
    return apps, middleware
