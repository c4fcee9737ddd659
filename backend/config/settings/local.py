"""The embedded default: `make run` with nothing configured (SQLite, in-process cache)."""

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR

# Off by default even here: clients must never see Django's HTML debug pages.
DEBUG = env.boolean("DJANGO_DEBUG", False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The web app (frontend/dist, built by `make run`): files at the site's root through WhiteNoise,
# index.html for the app's routes (booking.core.web_app). Hashed assets never change.
WEB_APP_DIR = env.string("WEB_APP_DIR", str(BASE_DIR.parent / "frontend" / "dist"))
WHITENOISE_ROOT = WEB_APP_DIR
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/?assets/.+-[A-Za-z0-9_-]{8,}\.(js|css|woff2?|svg|png)$"

# `npm run dev` serves the web app from FRONTEND_URL and proxies /api here with the Host
# rewritten: its writes carry the dev server's Origin, which Django's CSRF check must accept.
CSRF_TRUSTED_ORIGINS = [FRONTEND_URL]  # noqa: F405
