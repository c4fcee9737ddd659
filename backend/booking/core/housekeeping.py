"""The periodic purge of rows nobody needs any more.

Each app names its own purge in settings.HOUSEKEEPING_PURGES (name: dotted path of a function
that deletes and returns how many rows it deleted), so core runs them without importing the apps.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken


def stale_rows_purge() -> dict[str, int]:
    """Every configured purge, in order; how many rows each deleted, by name."""
    return {name: import_string(path)() for name, path in settings.HOUSEKEEPING_PURGES.items()}


def expired_tokens_purge() -> int:
    """Refresh tokens past their expiry (and their blacklist entries): no use to anyone."""
    deleted, _ = OutstandingToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
