"""One broker message for a burst of booking changes, instead of one each.

A booking's immediate notifications are published after its transaction commits. Every task
costs the worker about 4 ms before it sends anything (the broker, the prefork pipe, tracing)
plus a claim, a read and a record; so within a process the ids of the changes committed over
a short window (NOTIFICATION_PUBLISH_DELAY_MS) go out together, in chunks of the batch size.

Nothing is lost if the process dies first: the rows are in the outbox, and the sweep enqueues
what was not sent once NOTIFICATION_ENQUEUE_GRACE_SECONDS have passed. A delay of 0 publishes
at once, in the committing thread (the tests, and any process without a broker).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from uuid import UUID

logger = logging.getLogger(__name__)


class Burst:
    """Collects ids from any thread of a process; a daemon thread publishes them together."""

    def __init__(self, publish: Callable[[list[UUID]], None], delay: Callable[[], float]) -> None:
        self._publish = publish
        self._delay = delay  # seconds, read at each add: settings may change (tests)
        self._lock = threading.Lock()
        self._pending: list[UUID] = []
        self._wake = threading.Event()
        self._pid: int | None = None  # the process whose thread runs (a fork starts its own)

    def add(self, ids: Sequence[UUID]) -> None:
        delay = self._delay()
        if delay <= 0:
            self._publish(list(ids))
            return
        with self._lock:
            if self._pid != os.getpid():
                self._start(delay)
            self._pending += ids
            self._wake.set()

    def flush(self) -> None:
        """Publish what is waiting, now (at exit, and for tests)."""
        with self._lock:
            ids, self._pending = self._pending, []
            self._wake.clear()
        if ids:
            try:
                self._publish(ids)
            except Exception:  # the sweep will enqueue them; the thread must live on
                logger.exception("publishing %d notifications failed; left to the sweep", len(ids))

    def _start(self, delay: float) -> None:
        """A new thread for this process (one inherited through fork does not run here)."""
        self._pid, self._pending = os.getpid(), []
        self._wake = threading.Event()
        thread = threading.Thread(
            target=self._run, args=(delay,), name="notification-burst", daemon=True
        )
        thread.start()
        atexit.register(self.flush)

    def _run(self, delay: float) -> None:
        wake = self._wake
        while True:
            wake.wait()
            time.sleep(delay)  # let the burst gather
            self.flush()
