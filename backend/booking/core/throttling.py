"""The API's rate limits: DRF's scoped rates (THROTTLE_AUTH, THROTTLE_BOOKING), counted cheaply.

DRF's ScopedRateThrottle keeps every allowed request's timestamp in one cache entry, reads the
list and writes it back on each request: two round trips, and a list that grows with the rate.
This one counts the same scopes, keys and rates in a sliding window (core.cache.window_hit):
one round trip, two small counters per client and scope.
"""

from __future__ import annotations

import time
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

from booking.core.cache import WindowCount, window_estimate, window_hit, window_position


class SlidingWindowThrottle(ScopedRateThrottle):
    """A view's `throttle_scope` limited to its rate per client (the user, else the address)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        limit, window = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None or limit is None or window is None:
            return True
        self.limit, self.window, self.now = limit, window, time.time()
        self.count = window_hit(self.key, window=window, limit=limit, now=self.now)
        return self.count.allowed

    def wait(self) -> float | None:
        return retry_after(self.count, self.limit, self.window, self.now)


def retry_after(count: WindowCount, limit: int, window: int, now: float) -> float:
    """Seconds until one more hit fits the limit, if no other hit comes meanwhile."""
    _, gone_by = window_position(window, now)
    if count.current + 1 > limit:
        # Not this window: in the next one, this window's count is the previous one's.
        return window * (1 - gone_by) + window * (1 - (limit - 1) / max(count.current, 1))
    if window_estimate(count.previous, count.current, gone_by) + 1 <= limit:
        return 0.0
    # The previous window's share must shrink until one more hit fits.
    share_left = (limit - 1 - count.current) / count.previous
    return max(window * (1 - share_left - gone_by), 0.0)
