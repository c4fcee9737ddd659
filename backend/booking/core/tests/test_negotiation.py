from __future__ import annotations

import pytest
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from booking.core.negotiation import RememberingContentNegotiation

HEADERS = [
    None,
    "",
    "*/*",
    "application/json",
    "application/json; indent=4",
    "text/html",
    "text/html;q=0.9, application/json;q=0.8",
    "application/*",
    "application/xml",
    "application/json, " + "x/y, " * 200,  # longer than what is remembered
]


def _answer(negotiation: DefaultContentNegotiation, accept: str | None, query: str = "") -> object:
    extra = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/x{query}", **extra))
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers)
    except exceptions.NotAcceptable:
        return "406"
    return type(renderer), media_type


@pytest.mark.parametrize("accept", HEADERS)
@pytest.mark.parametrize("query", ["", "?format=json", "?format=api"])
def test_it_chooses_what_drf_chooses(accept, query):
    expected = _answer(DefaultContentNegotiation(), accept, query)
    for _ in "12":  # the first answer is computed, the second remembered
        assert _answer(RememberingContentNegotiation(), accept, query) == expected


def test_an_unknown_format_is_still_a_404():
    from django.http import Http404

    with pytest.raises(Http404):
        _answer(RememberingContentNegotiation(), None, "?format=yaml")


@pytest.mark.django_db
def test_an_api_asked_for_html_only_answers_406_in_the_error_shape(api_client):
    response = api_client.get("/api/v1/salons", HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"
