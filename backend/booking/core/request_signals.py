"""Django's per-request signal receivers, minus the ones that have nothing to do here.

Every request sends `request_started` and `request_finished`, and each receiver looks up the
thread's connections or caches through asgiref's `Local`: a cached answer spent a tenth of its
CPU there. Two of them are dropped when they cannot do anything:

- `reset_queries` empties the query log, which only DEBUG fills (a test that captures queries
  reconnects it for itself);
- `close_caches` calls each cache's `close()`, which does nothing unless a backend overrides it
  (memcached does; Redis, local memory and the database cache do not).

The connections' own receivers stay: they hand pooled connections back and drop broken ones.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signals
from django.core.cache import close_caches
from django.core.cache.backends.base import BaseCache
from django.db import reset_queries
from django.utils.module_loading import import_string


def trim_request_signals() -> None:
    if not settings.DEBUG:
        signals.request_started.disconnect(reset_queries)
    if not any(_closes(config) for config in settings.CACHES.values()):
        signals.request_finished.disconnect(close_caches)


def _closes(config: dict[str, Any]) -> bool:
    backend: type[BaseCache] = import_string(config["BACKEND"])
    return backend.close is not BaseCache.close
