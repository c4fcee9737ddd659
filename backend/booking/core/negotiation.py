"""DRF's content negotiation, remembered per Accept header.

Choosing the renderer parses the Accept header and matches it against each renderer's media
type on every request: 0.39 of the 0.63 s DRF's dispatch took over 2900 requests in a profile
of an uncached availability answer (bench README, "Fifth round, continued (12)"). The choice
depends only on the header and the renderer classes, and clients send a handful of distinct
headers, so it is made once for each. A `?format=` override, and headers too long to keep,
go the usual way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

# Bounded: the header is the client's to vary.
_REMEMBERED_HEADERS = 256
_REMEMBERED_LENGTH = 512
Choice = tuple[int, str] | None  # (the renderer's index, the accepted media type); None: 406


class RememberingContentNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        accept = request.META.get("HTTP_ACCEPT")
        if (
            format_suffix
            or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            or (accept is not None and len(accept) > _REMEMBERED_LENGTH)
        ):
            return super().select_renderer(request, renderers, format_suffix)
        choice = _choice(accept, tuple(map(type, renderers)))
        if choice is None:
            raise exceptions.NotAcceptable(available_renderers=renderers)
        index, media_type = choice
        return renderers[index], media_type


@functools.lru_cache(maxsize=_REMEMBERED_HEADERS)
def _choice(accept: str | None, renderer_classes: tuple[type[BaseRenderer], ...]) -> Choice:
    renderers = [renderer_class() for renderer_class in renderer_classes]
    try:
        renderer, media_type = DefaultContentNegotiation().select_renderer(
            _request_accepting(accept), renderers
        )
    except exceptions.NotAcceptable:
        return None
    return renderers.index(renderer), media_type


def _request_accepting(accept: str | None) -> Request:
    request = HttpRequest()
    if accept is not None:
        request.META["HTTP_ACCEPT"] = accept
    return Request(request)
