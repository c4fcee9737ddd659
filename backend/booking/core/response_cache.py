"""Rendered JSON answers cached under a version that every relevant write bumps.

A hit costs one cache round trip (the entry and the current version in one MGET) and no
database query; an entry written under an older version is simply never served again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer

Build = Callable[[], tuple[Any, float]]


def cached_json(
    *, key: str, version_key: str, current_version: Callable[[], int], build: Build
) -> HttpResponse:
    """The cached body for `key` if it was built under the current version, else a fresh one.

    `build` returns the data and how many seconds it stays valid; errors it raises are not
    cached. The version is read before building, so a write racing the build leaves an entry
    that is already stale and never served.
    """
    found = cache.get_many([key, version_key])
    entry, version = found.get(key), found.get(version_key)
    if entry is not None and version is not None and entry[0] == version:
        return _json(entry[1])
    version = current_version()
    data, ttl = build()
    body = JSONRenderer().render(data)
    if ttl > 0:
        cache.set(key, (version, body), timeout=ttl)
    return _json(body)


def _json(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="application/json")
