from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from booking.accounts.models import User
from booking.appointments.models import Appointment
from booking.core import db_routing
from booking.core.replica_middleware import ReplicaMiddleware


@pytest.fixture
def one_healthy_replica(monkeypatch):
    monkeypatch.setattr(db_routing, "replica_aliases", lambda: ["replica_test"])
    monkeypatch.setattr(db_routing, "_is_healthy", lambda alias: True)


@pytest.fixture
def cache_reads(monkeypatch) -> list[str]:
    keys: list[str] = []
    monkeypatch.setattr(db_routing.cache, "get", lambda key, *args, **kw: keys.append(key))
    return keys


def read_alias_seen_by_view(request) -> str:
    seen: list[str] = []

    def view(request):
        db_routing.bind_user("user-1")  # what authentication does
        seen.append(db_routing.PrimaryReplicaRouter().db_for_read(Appointment))
        return HttpResponse(status=200)

    ReplicaMiddleware(view)(request)
    return seen[0]


def test_a_write_request_reads_from_the_primary_without_asking_the_cache(
    one_healthy_replica, cache_reads
):
    assert read_alias_seen_by_view(RequestFactory().post("/anything")) == "default"
    assert cache_reads == []


def test_a_read_request_of_a_user_without_recent_writes_reads_from_a_replica(
    one_healthy_replica, cache_reads
):
    assert read_alias_seen_by_view(RequestFactory().get("/anything")) == "replica_test"
    assert cache_reads == ["ryw:user-1"]


def signed_in(request, user_id: str):
    """A request carrying the browser client's session of `user_id`."""
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "session-key"
    request.session = SessionStore()
    request.session[SESSION_KEY] = user_id
    request.session.accessed = False  # as a session that has only been sent
    return request


def test_a_session_users_read_asks_about_their_writes_before_the_user_is_loaded_and_once(
    one_healthy_replica, cache_reads
):
    asked_before_the_view: list[str] = []

    def view(request):
        asked_before_the_view.extend(cache_reads)
        db_routing.bind_user(7)  # what DRF's authentication does again
        return HttpResponse(status=200)

    ReplicaMiddleware(view)(signed_in(RequestFactory().get("/anything"), "7"))
    assert asked_before_the_view == ["ryw:7"]
    assert cache_reads == ["ryw:7"]


def test_a_session_user_who_just_wrote_reads_their_own_row_from_the_primary(
    one_healthy_replica, monkeypatch
):
    monkeypatch.setattr(db_routing.cache, "get", lambda key, *args, **kw: 1)
    seen: list[str] = []

    def view(request):
        seen.append(db_routing.PrimaryReplicaRouter().db_for_read(User))
        return HttpResponse(status=200)

    ReplicaMiddleware(view)(signed_in(RequestFactory().get("/anything"), "7"))
    assert seen == ["default"]


def test_a_session_users_successful_write_marks_them_and_a_refused_one_does_not(monkeypatch):
    marks: list[str] = []
    monkeypatch.setattr(db_routing.cache, "set", lambda key, *args, **kw: marks.append(key))

    for status in (200, 400):
        middleware = ReplicaMiddleware(lambda request, status=status: HttpResponse(status=status))
        middleware(signed_in(RequestFactory().post("/api/_allauth/browser/v1/x"), "7"))
    assert marks == ["ryw:7"]


def test_a_sign_in_marks_the_user_it_puts_in_the_session(monkeypatch):
    marks: list[str] = []
    monkeypatch.setattr(db_routing.cache, "set", lambda key, *args, **kw: marks.append(key))

    def sign_in(request):
        request.session[SESSION_KEY] = "8"
        return HttpResponse(status=200)

    request = RequestFactory().post("/api/_allauth/browser/v1/auth/login")
    request.session = SessionStore()
    ReplicaMiddleware(sign_in)(request)
    assert marks == ["ryw:8"]


def test_a_request_without_a_session_cookie_never_reads_the_session(cache_reads):
    request = RequestFactory().get("/anything")
    request.session = SessionStore()
    ReplicaMiddleware(lambda request: HttpResponse(status=200))(request)
    assert not request.session.accessed  # so no Vary: Cookie
    assert cache_reads == []
