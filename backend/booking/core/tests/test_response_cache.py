"""Cached public answers: served by the middleware until their version moves, never errors."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import uuid
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from booking.appointments.models import Appointment
from booking.core import db_routing, response_cache
from booking.core.errors import NotFound
from booking.core.response_cache import ResponseCacheMiddleware, cached_json, render_json
from booking.core.tests.test_versioned_cache import count_round_trips, count_stores
from booking.core.versioned_cache import LocalValues, Versioned, versioned_get, versioned_set

builds: list[str] = []


def version_key(item: str) -> str:
    return f"test:version:{item}"


class ItemApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    response_cache_version_key = staticmethod(version_key)

    def get(self, request: Request, item: str) -> HttpResponse:
        return cached_json(
            request=request,
            version_key=version_key(item),
            build=lambda: self._build(item, request.query_params.get("q", "")),
        )

    @staticmethod
    def _build(item: str, q: str) -> tuple[Any, float]:
        builds.append(item)
        if item == "missing":
            raise NotFound("No such item.", code="item_not_found")
        filler = "x" * 2000 if q == "large" else ""
        return {"item": item, "q": q, "build": len(builds), "filler": filler}, 60


class UncachedApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get(self, request: Request, item: str) -> HttpResponse:
        builds.append(item)
        return HttpResponse(b"{}", content_type="application/json")


class ReadingApi(ItemApi):
    """Answers which database its read went to; a read on a replica fails, as on a replica
    that died between health probes."""

    def get(self, request: Request, item: str) -> HttpResponse:
        return cached_json(request=request, version_key=version_key(item), build=self._read)

    @staticmethod
    def _read() -> tuple[Any, float]:
        alias = db_routing.PrimaryReplicaRouter().db_for_read(Appointment)
        if alias != "default":
            raise OperationalError(f"{alias} is gone")
        return {"read_on": alias}, 60


class AuthenticatingApi(ItemApi):
    authentication_classes = [SessionAuthentication]


rules_held = LocalValues(100)


def rules_version_key(salon: str) -> str:  # under the mirrored prefix of `redis_cache`
    return f"test:{salon}:version:salon"


def rules_entry(salon: str) -> Versioned:
    return Versioned(f"test:rules:{salon}", rules_version_key(salon), rules_held)


class RulesApi(APIView):
    """Answers from a salon's rules, cached as a schedule snapshot is."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    response_cache_version_key = staticmethod(rules_version_key)
    response_cache_prefetch = staticmethod(lambda salon: (rules_entry(salon),))

    def get(self, request: Request, salon: str) -> HttpResponse:
        return cached_json(
            request=request, version_key=rules_version_key(salon), build=lambda: self._build(salon)
        )

    @staticmethod
    def _build(salon: str) -> tuple[Any, float]:
        entry = rules_entry(salon)
        rules, version = versioned_get(*entry)
        if rules is None:
            builds.append(salon)
            rules = "built"
            versioned_set(entry.key, version, rules, 3600, entry.local)
        return {"rules": rules}, 60


urlpatterns = [
    path("items/<str:item>", ItemApi.as_view()),
    path("plain/<str:item>", UncachedApi.as_view()),
    path("reads/<str:item>", ReadingApi.as_view()),
    path("private/<str:item>", AuthenticatingApi.as_view()),
    path("rules/<str:salon>", RulesApi.as_view()),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def fresh_state():
    builds.clear()
    cache.clear()


def get(client: Client, url: str) -> Any:
    response = client.get(url)
    return response.status_code, json.loads(response.content), response


def test_a_repeat_is_served_from_the_cache_without_running_the_view(client):
    first = get(client, "/items/a")
    second = get(client, "/items/a")
    assert builds == ["a"]
    assert first[:2] == second[:2] == (200, {"item": "a", "q": "", "build": 1, "filler": ""})
    assert second[2]["Content-Type"] == "application/json"


def test_a_cached_answer_still_gets_a_request_id(client):
    get(client, "/items/a")
    _, _, response = get(client, "/items/a")
    assert builds == ["a"]
    assert response["X-Request-ID"]


def test_a_new_version_is_built_again(client):
    get(client, "/items/a")
    cache.incr(version_key("a"))
    _, body, _ = get(client, "/items/a")
    assert body["build"] == 2
    assert builds == ["a", "a"]


def test_entries_are_per_path_and_query(client):
    get(client, "/items/a?q=1")
    get(client, "/items/a?q=2")
    get(client, "/items/b?q=1")
    _, body, _ = get(client, "/items/a?q=2")
    assert builds == ["a", "a", "b"]
    assert body["q"] == "2"


def test_a_cached_answer_is_counted_under_its_pattern_not_its_path(client, rf):
    get(client, "/items/a")
    get(client, "/items/b")
    middleware = ResponseCacheMiddleware(lambda request: pytest.fail("not served from the cache"))
    matches = []
    for item in ("a", "b"):
        request = rf.get(f"/items/{item}")
        assert json.loads(middleware(request).content)["item"] == item
        matches.append(request.resolver_match)
    assert matches[0].route == "items/<str:item>"
    # One match per pattern, holding none of a path's arguments.
    assert matches[0] is matches[1]
    assert matches[0].kwargs == {}


def test_misses_on_one_path_resolve_it_once_and_run_the_view_with_its_arguments(
    client, monkeypatch
):
    resolved: list[str] = []
    real_resolve = response_cache.resolve

    def counting_resolve(path_info: str, urlconf: str) -> Any:
        resolved.append(path_info)
        return real_resolve(path_info, urlconf)

    monkeypatch.setattr(response_cache, "resolve", counting_resolve)
    response_cache._route.cache_clear()
    answers = [get(client, f"/items/{item}?q={q}")[1] for item, q in (("c", 1), ("c", 2), ("d", 1))]
    assert [(body["item"], body["q"]) for body in answers] == [("c", "1"), ("c", "2"), ("d", "1")]
    assert builds == ["c", "c", "d"]
    assert resolved == ["/items/c", "/items/d"]


def test_a_miss_fetches_what_it_is_built_from_with_its_lookup_and_stores_both_at_once(
    client, redis_cache, prefix, monkeypatch
):
    salon = prefix.split(":")[1]
    rules = rules_entry(salon)
    versioned_set(rules.key, 5, "cached", 3600, LocalValues(0))  # another process built them
    reads, stores = count_round_trips(monkeypatch), count_stores(monkeypatch)

    assert get(client, f"/rules/{salon}?q=1")[1] == {"rules": "cached"}
    assert (reads, builds) == ([2], [])  # the answer and the rules, in the lookup
    assert len(stores) == 1 and len(stores[0]) == 1  # the answer

    cache.delete(rules.key)
    rules_held._entries.clear()  # a process that holds nothing, and nobody has built them
    assert get(client, f"/rules/{salon}?q=2")[1] == {"rules": "built"}
    assert (reads, builds) == ([2, 2], [salon])
    assert len(stores) == 2 and sorted(stores[1])[1] == rules.key  # with the answer
    assert get(client, f"/rules/{salon}?q=3")[1] == {"rules": "built"}
    assert reads == [2, 2, 1]  # held now: the lookup asks for the answer alone
    cache.delete(rules.key)


def test_the_paths_of_ten_thousand_salons_are_resolved_once_each(monkeypatch):
    resolved: list[str] = []
    real_resolve = response_cache.resolve
    monkeypatch.setattr(
        response_cache,
        "resolve",
        lambda path, urlconf: resolved.append(path) or real_resolve(path, urlconf),
    )
    response_cache._route.cache_clear()
    paths = [f"/items/{index}" for index in range(10_000)]
    for _ in range(2):
        routes = [response_cache._route(__name__, path) for path in paths]
    assert len(resolved) == len(paths)
    assert routes[-1] is not None and routes[-1].kwargs == {"item": "9999"}


def test_a_miss_is_answered_with_the_headers_its_repeat_will_have(client):
    _, _, miss = get(client, "/items/a")
    _, _, repeat = get(client, "/items/a")
    assert builds == ["a"]
    # The middleware after the cache never ran (it adds X-Frame-Options); DRF's view did.
    assert set(miss.headers) - {"Allow"} == set(repeat.headers)


@pytest.mark.django_db(transaction=True)  # inside a transaction every read is the primary's
def test_a_miss_whose_replica_fails_is_answered_from_the_primary(client, monkeypatch):
    down: list[str] = []
    monkeypatch.setattr(db_routing, "replica_aliases", lambda: ["replica_test"])
    monkeypatch.setattr(db_routing, "_is_healthy", lambda alias: alias not in down)
    monkeypatch.setattr(db_routing, "mark_replica_down", down.append)
    status, body, _ = get(client, "/reads/a")
    assert (status, body) == (200, {"read_on": "default"})
    assert down == ["replica_test"]


def test_a_view_that_authenticates_cannot_opt_in(client):
    with pytest.raises(ImproperlyConfigured, match="AuthenticatingApi"):
        client.get("/private/a")


def test_errors_are_never_cached(client):
    assert get(client, "/items/missing")[0] == 404
    assert get(client, "/items/missing")[0] == 404
    assert builds == ["missing", "missing"]


def test_other_methods_and_views_pass_through(client):
    get(client, "/items/a")
    assert client.post("/items/a").status_code == 405
    get(client, "/plain/x")
    get(client, "/plain/x")
    assert builds == ["a", "x", "x"]


@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_cached_answer_is_still_redirected_to_https(client):
    https = {"secure": True, "HTTP_X_FORWARDED_PROTO": "https"}
    assert client.get("/items/a", **https).status_code == 200
    assert client.get("/items/a", **https).status_code == 200
    assert client.get("/items/a").status_code == 301
    assert builds == ["a"]


def test_a_large_answer_is_sent_gzipped_to_clients_that_accept_it(client):
    responses = [client.get("/items/a?q=large", HTTP_ACCEPT_ENCODING="gzip, br") for _ in "12"]
    assert builds == ["a"]
    for response in responses:  # built by the view, then served by the middleware
        assert response["Content-Encoding"] == "gzip"
        assert response["Vary"] == "Accept-Encoding"
        assert json.loads(gzip.decompress(response.content))["filler"] == "x" * 2000


def test_a_large_answer_is_sent_plain_to_clients_that_do_not(client):
    client.get("/items/a?q=large", HTTP_ACCEPT_ENCODING="gzip")
    response = client.get("/items/a?q=large")
    assert builds == ["a"]
    assert not response.has_header("Content-Encoding")
    assert response["Vary"] == "Accept-Encoding"
    assert json.loads(response.content)["filler"] == "x" * 2000


@pytest.mark.parametrize("encoding", ["gzip", ""])
@pytest.mark.parametrize("query", ["large", "small"])
def test_every_cached_answer_states_its_length(client, query, encoding):
    responses = [client.get(f"/items/a?q={query}", HTTP_ACCEPT_ENCODING=encoding) for _ in "12"]
    assert builds == ["a"]
    for response in responses:  # built by the view, then served by the middleware
        assert response["Content-Length"] == str(len(response.content))


def test_a_small_answer_is_never_compressed(client):
    response = client.get("/items/a", HTTP_ACCEPT_ENCODING="gzip")
    assert not response.has_header("Content-Encoding")
    assert json.loads(response.content)["item"] == "a"


def test_answers_render_as_drfs_renderer_writes_serializer_output():
    data = {"name": "Salon Ünter den Linden", "price": "12.50", "count": 3, "items": [{"a": None}]}
    assert render_json(data) == JSONRenderer().render(data)


def test_instants_keep_their_offset_and_ids_their_hyphens():
    start = dt.datetime(2030, 3, 31, 1, 30, tzinfo=dt.UTC).astimezone(ZoneInfo("Europe/Berlin"))
    staff_id = uuid.UUID("4a7bac70-4754-50b6-9e5c-b99f7c1b2003")
    rendered = json.loads(render_json({"start": start, "staff_ids": (staff_id,)}))
    assert rendered == {"start": start.isoformat(), "staff_ids": [str(staff_id)]}
    assert rendered["start"] == "2030-03-31T03:30:00+02:00"


def test_what_orjson_does_not_know_goes_through_drfs_encoder():
    assert json.loads(render_json({"price": Decimal("12.50")})) == {"price": 12.5}
