"""Per-salon version numbers that change whenever the salon's availability may have changed.

Cached availability is stored under a key that includes the availability version, so bumping it
invalidates every cached answer for the salon at once without enumerating keys. The schedule
version moves only with the salon's rules (hours, closures, time off, services, staff, policy),
not with bookings, so the schedule snapshot survives the bookings that churn availability.
The cache may be down: writes must still succeed (the bump is logged and skipped), and a
reader that cannot reach the cache gets a version never handed out before: a guaranteed miss.
"""

from __future__ import annotations

import logging
import time
from uuid import UUID

from django.core.cache import cache

from booking.core.cache import get_or_add

logger = logging.getLogger(__name__)


def availability_version_key(salon_id: UUID | str) -> str:
    """The cache key of the salon's version, for readers that fetch it with their entry."""
    return f"availability:version:{salon_id}"


def schedule_version_key(salon_id: UUID | str) -> str:
    return f"schedule:version:{salon_id}"


# One version for the public salon list (names, cities, services): any salon's rule or
# profile change, or a new salon, moves it.
CATALOGUE_VERSION_KEY = "catalogue:version:salons"


def catalogue_version_key() -> str:
    return CATALOGUE_VERSION_KEY


def _fresh_version() -> int:
    # Microseconds since the epoch: never equal to a version handed out earlier, so a key that
    # was evicted and recreated cannot bring back answers cached under an old number.
    return time.time_ns() // 1000


def availability_changed(*, salon_id: UUID | str) -> None:
    """Invalidate the salon's cached availability; call it from `transaction.on_commit`."""
    _bump(availability_version_key(salon_id))


def schedule_changed(*, salon_id: UUID | str) -> None:
    """Invalidate the salon's schedule snapshot, its availability and the salon list
    (`transaction.on_commit`)."""
    _bump(schedule_version_key(salon_id))
    _bump(availability_version_key(salon_id))
    catalogue_changed()


def catalogue_changed() -> None:
    """Invalidate the cached pages of the salon list (a salon added, renamed, moved ...)."""
    _bump(CATALOGUE_VERSION_KEY)


def availability_version(salon_id: UUID | str) -> int:
    """The salon's current availability version (a fresh, unused one if the cache is down)."""
    return _current(availability_version_key(salon_id))


def schedule_version(salon_id: UUID | str) -> int:
    return _current(schedule_version_key(salon_id))


def catalogue_version() -> int:
    return _current(CATALOGUE_VERSION_KEY)


def _bump(key: str) -> None:
    try:
        try:
            cache.incr(key)
        except ValueError:  # no version yet (never read, or evicted)
            cache.set(key, _fresh_version(), timeout=None)
    except Exception:
        logger.warning("cache unreachable; %s not bumped", key, exc_info=True)


def _current(key: str) -> int:
    try:
        version = get_or_add(key, _fresh_version())
    except Exception:
        logger.warning("cache unreachable; %s unknown, reading uncached", key, exc_info=True)
        return _fresh_version()
    return int(version) if version is not None else _fresh_version()
