"""Rendered JSON answers of public GET endpoints, cached under a version that writes bump.

A view opts in by building its answer with `cached_json` and naming, as the class attribute
`response_cache_version_key`, the function from its URL arguments to the version key. Entries
are keyed by the request's path and query string. `ResponseCacheMiddleware` serves a repeat
before sessions, CSRF, authentication and DRF run, with no database and, once this process
holds the answer and its version, no cache round trip either (core.versioned_cache). An entry
written under an older version is simply never served again; errors are never cached. A view
may also name, as `response_cache_prefetch`, what its misses read from the versioned cache (a
salon's schedule snapshot): the lookup's round trip brings it along.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from collections.abc import Callable
from typing import Any, NamedTuple

import orjson
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.urls import Resolver404, ResolverMatch, resolve
from rest_framework.utils.encoders import JSONEncoder

from booking.core.replica_middleware import replica_routing, rerun_on_primary
from booking.core.versioned_cache import (
    LocalValues,
    Versioned,
    building_under,
    stores_deferred,
    versioned_get,
    versioned_set,
)

Build = Callable[[], tuple[Any, float]]
# The JSON body, gzipped when large enough to be worth it: compressed once when built instead
# of by the proxy on every response.
Body = tuple[bytes, bool]
Lookup = tuple[Body | None, int]
VersionKey = Callable[..., str]
Prefetch = Callable[..., tuple[Versioned, ...]]
# Part of the key: releases that store bodies differently never read each other's entries.
BODY_FORMAT = 3
GZIP_MIN_BYTES = 512  # what nginx compresses (gzip_min_length)
# Level 1: a miss's answer (5 kB of slots) compressed in a third of level 6's time, 4-7 % of the
# miss's CPU, for 12 % more bytes (474 against 425 on average; bench/README.md (18)).
GZIP_LEVEL = 1
_answers = LocalValues(settings.CACHE_LOCAL_ENTRIES)


def cached_json(*, request: HttpRequest, version_key: str, build: Build) -> HttpResponse:
    """The cached body for this request if built under the current version, else a fresh one.

    `build` returns the data and how many seconds it stays valid. The version is read before
    building, so a write racing the build leaves an entry that is already stale. What the build
    caches on its way (a schedule snapshot) is stored with the answer, in one round trip.
    """
    key = _key(request)
    # The middleware has looked already when it let the request through.
    looked_up: Lookup | None = getattr(request, "response_cache_lookup", None)
    body, version = looked_up or versioned_get(key, version_key, _answers)
    if body is not None:
        return json_response(request, body)
    with stores_deferred():
        with building_under(version):
            data, ttl = build()
        body = compressed(render_json(data))
        if ttl > 0:
            versioned_set(key, version, body, ttl, _answers)
    return json_response(request, body)


def render_json(data: Any) -> bytes:
    """Compact UTF-8 JSON, as DRF's renderer writes it, about twenty times faster. orjson
    writes datetimes (RFC 3339, the offset kept as isoformat() keeps it) and UUIDs itself;
    what it does not know (Decimal, lazy strings) goes through DRF's encoder."""
    return orjson.dumps(data, default=_drf_encoder.default)


_drf_encoder = JSONEncoder()


def compressed(content: bytes) -> Body:
    if len(content) < GZIP_MIN_BYTES:
        return content, False
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0), True


def json_response(request: HttpRequest, body: Body) -> HttpResponse:
    """The body as a response with its length: without one (CommonMiddleware, which would add
    it, sits after the cache) the server sends it chunked, one more write per answer."""
    content, gzipped = body
    if not gzipped:
        return _sized(content)
    if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""):
        response = _sized(content)
        response["Content-Encoding"] = "gzip"
    else:
        response = _sized(gzip.decompress(content))
    response["Vary"] = "Accept-Encoding"
    return response


def _sized(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/json")
    response["Content-Length"] = str(len(content))
    return response


def _key(request: HttpRequest) -> str:
    # Hashed: query strings are the client's to make long. Raw: get_full_path() would
    # percent-encode them on every request. The host and scheme are part of it: answers may
    # hold absolute links (a list's next page), and only an allowed host ever builds one.
    origin = (
        f"{request.META.get('HTTP_X_FORWARDED_PROTO', '')}://{request.META.get('HTTP_HOST', '')}"
    )
    url = f"{origin}{request.path}?{request.META.get('QUERY_STRING', '')}"
    return f"response:{BODY_FORMAT}:{hashlib.blake2b(url.encode(), digest_size=20).hexdigest()}"


class ResponseCacheMiddleware:
    """Answers a GET of an opted-in view from the cache, and runs the view itself on a miss;
    everything else passes through.

    It sits after the security middleware (HTTPS redirect, host validation) and the access log
    and metrics, so a cached answer is still redirected, logged and counted under its route.
    The middleware after it serves sessions, CSRF, authentication and messages, none of which
    an opted-in view reads: its answer is served to anyone. So a miss skips them too, and is
    answered as a repeat will be, with the replica routing that the view's reads need.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            route = _route(settings.ROOT_URLCONF, request.path_info)
            if route is not None:
                request.resolver_match = route.match
                found = versioned_get(_key(request), route.version_key, _answers, route.ahead)
                if found[0] is not None:
                    return json_response(request, found[0])
                request.response_cache_lookup = found  # type: ignore[attr-defined]
                return _run_view(request, route)
        return self.get_response(request)


def _run_view(request: HttpRequest, route: Route) -> HttpResponse:
    """The view at this path, as Django's handler would run it after the middleware: its own
    match, a rendered response, and reads that fall back to the primary when a replica fails.

    No session is read, so a browser user who has just written is not sent to the primary
    here; an answer built in the first seconds after any change reads the primary anyway
    (versioned_cache.building_under), and that is what a cached answer depends on."""
    # A copy: the route is shared by every request for this path.
    match = ResolverMatch(
        route.match.func, (), dict(route.kwargs), route.match.url_name, route=route.match.route
    )
    request.resolver_match = match
    with replica_routing(request):
        try:
            response = match.func(request, *match.args, **match.kwargs)
        except OperationalError as exc:
            response = rerun_on_primary(request, exc)
            if response is None:
                raise
    if isinstance(response, SimpleTemplateResponse):  # DRF's error answers
        response.render()
    return response


class Route(NamedTuple):
    """An opted-in view's path, resolved: its pattern's match (`_pattern_match`), the path's
    version key, the arguments the path gives the view, and what a miss there reads from the
    cache, to fetch with the lookup (the view's `response_cache_prefetch`, of the arguments)."""

    match: ResolverMatch
    version_key: str
    kwargs: dict[str, Any]
    prefetch: Prefetch

    def ahead(self) -> tuple[Versioned, ...]:
        return self.prefetch(**self.kwargs)


# Every salon's availability path at 10000 salons, and their pages: about 0.6 KB a path.
ROUTES_REMEMBERED = 16384


@functools.lru_cache(maxsize=ROUTES_REMEMBERED)
def _route(urlconf: str, path_info: str) -> Route | None:
    """The route of an opted-in view at this path, or None.

    Remembered per path: resolving costs about as much as serving the cached answer, and a
    miss would resolve it again (a twelfth of a miss's CPU) to run the view. With too few
    remembered, a stream of questions about many salons resolved nearly every path.
    """
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    version_key: VersionKey | None = getattr(view_class, "response_cache_version_key", None)
    if view_class is None or version_key is None:
        return None
    if getattr(view_class, "authentication_classes", None):
        raise ImproperlyConfigured(
            f"{view_class.__name__} opts in to the response cache, which serves its answers to "
            "anyone: it must authenticate nobody (authentication_classes = [])."
        )
    prefetch: Prefetch = getattr(view_class, "response_cache_prefetch", _nothing_to_prefetch)
    return Route(_pattern_match(match), version_key(**match.kwargs), match.kwargs, prefetch)


def _nothing_to_prefetch(**kwargs: Any) -> tuple[Versioned, ...]:
    return ()


_pattern_matches: dict[str, ResolverMatch] = {}


def _pattern_match(match: ResolverMatch) -> ResolverMatch:
    """One match per URL pattern, without a path's arguments: the route is all that the metrics
    and the access log read; a view that runs gets a match of its own, with the path's
    arguments (`Route.kwargs`). A match kept per path held the patterns tried too, about twenty
    objects that every full garbage collection walked, thousands of paths over."""
    return _pattern_matches.setdefault(
        match.route,
        ResolverMatch(match.func, (), {}, match.url_name, route=match.route),
    )
