"""Core's periodic work. The task name is what beat schedules refer to: keep it stable."""

from __future__ import annotations

from celery import shared_task

from booking.core.housekeeping import stale_rows_purge


@shared_task(name="housekeeping.purge_stale_rows")
def purge_stale_rows() -> dict[str, int]:
    return stale_rows_purge()
