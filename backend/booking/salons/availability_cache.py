"""Per-salon version numbers that change whenever the salon's availability may have changed.

Cached availability is stored under a key that includes the availability version, so bumping it
invalidates every cached answer for the salon at once without enumerating keys. The schedule
version moves only with the salon's rules (hours, closures, time off, services, staff, policy),
not with bookings, so the schedule snapshot survives the bookings that churn availability.
Readers fetch the version with their entry (core.versioned_cache). The cache may be down:
writes must still succeed (the bump is logged and skipped).
"""

from __future__ import annotations

import logging
from functools import partial
from uuid import UUID

from django.db import transaction

from booking.core.versioned_cache import bump

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


def availability_changed(*, salon_id: UUID | str) -> None:
    """Invalidate the salon's cached availability; call it from `transaction.on_commit`."""
    _bump(availability_version_key(salon_id))


def schedule_changed(*, salon_id: UUID | str) -> None:
    """Invalidate the salon's schedule snapshot, its availability and the salon list
    (`transaction.on_commit`)."""
    _bump(schedule_version_key(salon_id))
    _bump(availability_version_key(salon_id))
    catalogue_changed()


def schedule_changed_on_commit(salon_id: UUID | str) -> None:
    """`schedule_changed` once the caller's transaction commits (at once outside one)."""
    transaction.on_commit(partial(schedule_changed, salon_id=salon_id))


def catalogue_changed() -> None:
    """Invalidate the cached pages of the salon list (a salon added, renamed, moved ...)."""
    _bump(CATALOGUE_VERSION_KEY)


def _bump(key: str) -> None:
    try:
        bump(key)
    except Exception:
        logger.warning("cache unreachable; %s not bumped", key, exc_info=True)
