"""The embedded default: `make run` with nothing configured (SQLite, in-process cache)."""

from config import env
from config.settings.base import *  # noqa: F403

# Off by default even here: clients must never see Django's HTML debug pages.
DEBUG = env.boolean("DJANGO_DEBUG", False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
